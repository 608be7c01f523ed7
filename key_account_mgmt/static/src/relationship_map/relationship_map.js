import { Component, onWillUpdateProps, useState } from "@odoo/owl";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";

/** One person of the map and, below, those who report to them (the chart is recursive). */
export class RelationshipMapNode extends Component {
    static template = "key_account_mgmt.RelationshipMapNode";
    static props = { node: Object, open: Function, flagLabels: Object, readable: Boolean, editable: Boolean };

    get cardClass() {
        const { node } = this.props;
        return {
            [`o_kam_relmap_${node.attitude}`]: Boolean(node.attitude),
            o_kam_relmap_decider: node.decider,
            o_kam_relmap_left: Boolean(node.left),
            o_kam_relmap_unmapped: !node.relationship_id,
            o_kam_relmap_clickable: this.clickable,
        };
    }

    get clickable() {
        const { node, readable, editable } = this.props;
        return readable && (Boolean(node.relationship_id) || editable);
    }

    get influence() {
        return _t("Influence: %(level)s", { level: this.props.node.influence_label });
    }

    get strength() {
        return _t("Relationship: %(strength)s", { strength: this.props.node.strength_label });
    }

    onClick() {
        if (this.clickable) {
            this.props.open(this.props.node);
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            this.onClick();
        }
    }

    get lastContact() {
        const { node } = this.props;
        if (!node.relationship_id) {
            return "";
        }
        if (!node.last_contact) {
            return _t("No contact yet");
        }
        const day = formatDate(deserializeDate(node.last_contact));
        return node.last_contact_kind
            ? _t("Last contact: %(day)s (%(kind)s)", { day, kind: node.last_contact_kind })
            : _t("Last contact: %(day)s", { day });
    }

    get flags() {
        return this.props.node.flags.map((rule) => this.props.flagLabels[rule] || rule);
    }
}
RelationshipMapNode.components = { RelationshipMapNode };

/**
 * The relationship map of a key account (the field key_account_relationship_map, a JSON built by
 * key.account.relationship.map): the coverage of the six buying roles, the open relationship
 * risks, the people as an org chart by whom they report to (an indented tree at phone width),
 * and the people not on the map yet. Clicking a person opens their entry of the map in a
 * dialog (a new one for someone not on it yet); saving redraws the map.
 */
export class KeyAccountRelationshipMap extends Component {
    static template = "key_account_mgmt.RelationshipMap";
    static components = { RelationshipMapNode };
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.dialog = useService("dialog");
        this.state = useState({ data: null }); // the map read again after an edit
        onWillUpdateProps(() => {
            this.state.data = null;
        });
    }

    get data() {
        return this.state.data || this.props.record.data[this.props.name] || null;
    }

    /** The people on the map as a forest by whom they report to. */
    get tree() {
        const nodes = {};
        for (const person of this.data.people.filter((p) => p.relationship_id)) {
            nodes[person.key] = { ...person, children: [] };
        }
        const roots = [];
        for (const node of Object.values(nodes)) {
            const parent = node.parent_key && nodes[node.parent_key];
            (parent ? parent.children : roots).push(node);
        }
        return roots;
    }

    get unmapped() {
        return this.data.people.filter((p) => !p.relationship_id).map((p) => ({ ...p, children: [] }));
    }

    get flagLabels() {
        return Object.fromEntries(this.data.signals.map((signal) => [signal.rule, signal.label]));
    }

    async open(person) {
        const { data } = this;
        if (!data.readable || (!person.relationship_id && !data.editable)) {
            return;
        }
        this.dialog.add(FormViewDialog, {
            resModel: "key.account.relationship",
            resId: person.relationship_id || false,
            title: person.name,
            mode: data.editable ? "edit" : "readonly",
            preventEdit: !data.editable,
            preventCreate: true,
            context: {
                default_partner_id: data.account_id,
                default_contact_id: person.contact_id,
                key_account_person_name: true,
            },
            onRecordSaved: () => this.reload(),
        });
    }

    /** The map read again: with the whole form when it has no unsaved change. */
    async reload() {
        const { record } = this.props;
        if (!(await record.isDirty())) {
            this.state.data = null;
            await record.load();
            return;
        }
        const [row] = await this.orm.read(record.resModel, [this.data.account_id], [this.props.name]);
        this.state.data = row[this.props.name];
    }
}

registry.category("fields").add("key_account_relationship_map", {
    component: KeyAccountRelationshipMap,
    supportedTypes: ["json"],
});
