import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { noErrorDialog, noSidewaysScroll } from "./key_account_tour_utils";

// Issue #21: the relationship map of a key account (tests/test_relationship_map_tour.py), in
// Chinese, at desktop and at phone width: the map draws the people by whom they report to, a
// click on a person opens their entry, an edit saved redraws the map; no error dialog, nothing
// scrolls sideways.

const ACCOUNT = "恒泰建设集团";

function mapSteps() {
    return [
        {
            content: "Open the key account",
            trigger: `.o_kanban_record:contains("${ACCOUNT}")`,
            run: "click",
        },
        {
            content: "The form is in Chinese: open the Team & Contacts page",
            trigger: '.o_form_view .o_notebook .nav-link[name="team_contacts"]:contains("团队与联系人")',
            run: "click",
        },
        {
            content: "The map draws the chairman on top, with his title",
            trigger: '.o_kam_orgchart > li > .o_kam_relmap_card:contains("周建国"):contains("董事长")',
        },
        {
            content: "the chief engineer reports to him, an opponent who decides",
            trigger:
                '.o_kam_orgchart > li > ul .o_kam_relmap_card.o_kam_relmap_opponent.o_kam_relmap_decider:contains("钱浩")',
        },
        {
            content: "the risk of an opponent who decides is shown",
            trigger: '.o_kam_relmap_signals .o_kam_relmap_signal[data-rule="opponent_deciding"]',
        },
        {
            content: "a person of the account not on the map yet",
            trigger: '.o_kam_relmap_pool .o_kam_relmap_card.o_kam_relmap_unmapped:contains("吴芳")',
        },
        noErrorDialog("The map"),
        noSidewaysScroll("The map"),
        {
            content: "Click the purchasing director",
            trigger: '.o_kam_orgchart .o_kam_relmap_card:contains("孙丽")',
            run: "click",
        },
        {
            content: "Her entry opens",
            trigger: '.modal .o_form_view .o_field_widget[name="contact_id"]:contains("孙丽")',
        },
        {
            content: "She becomes our champion",
            trigger: '.modal .o_field_widget[name="attitude"] input[data-value="champion"]',
            run: "click",
        },
        {
            content: "with a note",
            trigger: '.modal .o_field_widget[name="note"] textarea',
            run: "edit 她会告诉我们招标日程",
        },
        {
            content: "Save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The map shows her as a champion",
            trigger: 'body:not(:has(.modal)) .o_kam_orgchart .o_kam_relmap_card.o_kam_relmap_champion:contains("孙丽")',
        },
        noErrorDialog("The map after the edit"),
        noSidewaysScroll("The map after the edit"),
    ];
}

registry.category("web_tour.tours").add("key_account_mgmt_relationship_map", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Key Accounts app",
            trigger: '.o_app[data-menu-xmlid="key_account_mgmt.key_account_menu_root"]',
            run: "click",
        },
        {
            content: "Go to Key Accounts › Key Accounts",
            trigger: '.o_main_navbar button[data-menu-xmlid="key_account_mgmt.key_account_menu_accounts"]',
            run: "click",
        },
        {
            trigger: '.o-dropdown--menu a[data-menu-xmlid="key_account_mgmt.res_partner_menu_key_account"]',
            run: "click",
        },
        ...mapSteps(),
    ],
});

registry.category("web_tour.tours").add("key_account_mgmt_relationship_map_phone", {
    url: "/odoo/action-key_account_mgmt.res_partner_action_key_account",
    steps: () => mapSteps(),
});
