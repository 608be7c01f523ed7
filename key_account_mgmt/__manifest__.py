{
    "name": "Key Account Management",
    "summary": "Key account management (大客户管理): tiers, scores, cooperation states, "
    "visits and receptions with layered approval, confidential archives, monthly report",
    "version": "18.0.1.0.0",
    "category": "Sales/Key Accounts",
    "author": "key_account_mgmt developers",
    "website": "https://github.com/key-account-mgmt/key_account_mgmt",
    "license": "LGPL-3",
    "depends": [
        "mail",
        "contacts",
        "calendar",
        "sale_margin",
        "base_tier_validation",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/key_account_security.xml",
        "security/ir.model.access.csv",
        "data/key_account_tier_data.xml",
        "data/key_account_category_data.xml",
        "views/key_account_tier_views.xml",
        "views/key_account_category_views.xml",
        "views/res_partner_views.xml",
        "views/key_account_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "key_account_mgmt/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
