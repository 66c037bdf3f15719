# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Muzza Receivables - Deliveries",
    "summary": "Hold the deliveries of an order whose deposit is unpaid",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/muzza/muzza_receivables",
    "author": "Muzza Receivables",
    "license": "LGPL-3",
    "depends": [
        "muzza_receivables",
        "sale_stock",
    ],
    "data": [
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "wizards/muzza_deposit_override_views.xml",
    ],
    "auto_install": True,
}
