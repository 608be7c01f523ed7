{
    "name": "Key Account Management - Inventory",
    "summary": "Deliveries of key accounts' priority-supply orders urgent for the warehouse (大客户优先供货)",
    "version": "18.0.1.0.0",
    "category": "Sales/Key Accounts",
    "author": "key_account_mgmt developers",
    "website": "https://github.com/key-account-mgmt/key_account_mgmt",
    "license": "LGPL-3",
    "development_status": "Beta",
    "maintainers": ["key-account-mgmt"],
    "depends": ["key_account_mgmt", "sale_stock"],
    "data": ["views/stock_picking_views.xml"],
    "auto_install": True,
}
