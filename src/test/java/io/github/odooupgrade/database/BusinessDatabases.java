package io.github.odooupgrade.database;

import static io.github.odooupgrade.database.LocalPostgres.psql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Odoo-shaped databases with business records, for the acceptance report's tests, on the machine's PostgreSQL. Written
 * for the tests, not copied from Odoo: the tables and the columns the report reads, as an Odoo database of a series
 * keeps them — invoices in {@code account_invoice} before 13.0 and in {@code account_move} from 13.0 (its {@code type}
 * column named {@code move_type} from 14.0), journal items with {@code parent_state} from 13.0 — two companies with
 * posted and draft journal entries, and attachments whose files are in a filestore folder.
 */
public final class BusinessDatabases {
    /** Invoices and refunds in every database this class makes (posted ones have a journal entry). */
    public static final int INVOICES = 6;
    public static final int PARTNERS = 40;
    public static final int SALE_LINES = 30;

    private BusinessDatabases() {}

    /** Creates {@code name} as an Odoo {@code series} ("12.0", "13.0", "17.0") database; its filestore under {@code filestoreRoot}. */
    public static void create(String name, String series, Path filestoreRoot) throws IOException {
        int major = Integer.parseInt(series.substring(0, series.indexOf('.')));
        OdooDatabases.createEmpty(name);
        psql(name, """
                CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar, latest_version varchar);
                INSERT INTO ir_module_module (name, state, latest_version) VALUES
                  ('base', 'installed', '%1$s.1.3'), ('web', 'installed', '%1$s.1.0'), ('sale_management', 'installed', '%1$s.1.0'),
                  ('purchase', 'installed', '%1$s.1.2'), ('account', 'installed', '%1$s.1.2'), ('stock', 'installed', '%1$s.1.1'),
                  ('hr', 'installed', '%1$s.1.1'), ('project', 'installed', '%1$s.1.3'), ('mrp', 'uninstalled', NULL);
                CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text);
                INSERT INTO ir_config_parameter (key, value) VALUES ('database.enterprise_code', 'M123456-abcdef');
                CREATE TABLE res_company (id serial PRIMARY KEY, name varchar NOT NULL);
                INSERT INTO res_company (name) VALUES ('Main Company'), ('Branch');
                CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, company_id int REFERENCES res_company);
                INSERT INTO res_partner (name, company_id) SELECT 'Partner ' || i, 1 + i %% 2 FROM generate_series(1, %2$d) i;
                CREATE TABLE res_users (id serial PRIMARY KEY, login varchar NOT NULL UNIQUE, partner_id int REFERENCES res_partner);
                INSERT INTO res_users (login, partner_id) VALUES ('admin', 1), ('demo', 2), ('sales', 3);
                CREATE TABLE product_template (id serial PRIMARY KEY, name varchar, list_price numeric);
                INSERT INTO product_template (name, list_price) SELECT 'Product ' || i, i * 10 FROM generate_series(1, 8) i;
                CREATE TABLE product_product (id serial PRIMARY KEY, product_tmpl_id int REFERENCES product_template);
                INSERT INTO product_product (product_tmpl_id) SELECT id FROM product_template;
                CREATE TABLE sale_order (id serial PRIMARY KEY, name varchar, partner_id int REFERENCES res_partner, company_id int);
                INSERT INTO sale_order (name, partner_id, company_id) SELECT 'S' || i, i, 1 + i %% 2 FROM generate_series(1, 10) i;
                CREATE TABLE sale_order_line (id serial PRIMARY KEY, order_id int REFERENCES sale_order, product_id int, product_uom_qty numeric);
                INSERT INTO sale_order_line (order_id, product_id, product_uom_qty)
                  SELECT 1 + i %% 10, 1 + i %% 8, i FROM generate_series(1, %3$d) i;
                CREATE TABLE purchase_order (id serial PRIMARY KEY, name varchar, partner_id int REFERENCES res_partner);
                INSERT INTO purchase_order (name, partner_id) SELECT 'P' || i, i + 10 FROM generate_series(1, 4) i;
                CREATE TABLE purchase_order_line (id serial PRIMARY KEY, order_id int REFERENCES purchase_order, product_qty numeric);
                INSERT INTO purchase_order_line (order_id, product_qty) SELECT 1 + i %% 4, i FROM generate_series(1, 9) i;
                CREATE TABLE stock_move (id serial PRIMARY KEY, product_id int, product_uom_qty numeric, state varchar);
                INSERT INTO stock_move (product_id, product_uom_qty, state) SELECT 1 + i %% 8, i, 'done' FROM generate_series(1, 25) i;
                CREATE TABLE stock_quant (id serial PRIMARY KEY, product_id int, quantity numeric);
                INSERT INTO stock_quant (product_id, quantity) SELECT id, id * 3 FROM product_product;
                CREATE TABLE hr_employee (id serial PRIMARY KEY, name varchar, company_id int);
                INSERT INTO hr_employee (name, company_id) SELECT 'Employee ' || i, 1 + i %% 2 FROM generate_series(1, 7) i;
                CREATE TABLE project_task (id serial PRIMARY KEY, name varchar);
                INSERT INTO project_task (name) SELECT 'Task ' || i FROM generate_series(1, 12) i;
                CREATE TABLE ir_attachment (id serial PRIMARY KEY, name varchar, res_model varchar, store_fname varchar, file_size int);
                """.formatted(series, PARTNERS, SALE_LINES));
        psql(name, major >= 13 ? accountingFrom13(major) : accountingBefore13());
        for (int i = 1; i <= 3; i++) {
            String content = "attachment " + i + " of an Odoo database";
            String sha = OdooDatabases.sha1(content);
            String store = sha.substring(0, 2) + "/" + sha;
            psql(name, "INSERT INTO ir_attachment (name, res_model, store_fname, file_size) VALUES ('file" + i + ".pdf', 'sale.order', '"
                    + store + "', " + content.length() + ")");
            Path file = filestoreRoot.resolve(name).resolve(store);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
    }

    /**
     * Before 13.0: invoices in account_invoice; the posted ones (4 of 6) have a journal entry of two lines. Two more
     * entries are not invoices; one of them is a draft.
     */
    private static String accountingBefore13() {
        return """
                CREATE TABLE account_invoice (id serial PRIMARY KEY, type varchar, state varchar, company_id int, amount_total numeric);
                INSERT INTO account_invoice (type, state, company_id, amount_total) VALUES
                  ('out_invoice', 'open', 1, 100), ('out_invoice', 'paid', 1, 250.50), ('in_invoice', 'open', 2, 80),
                  ('out_refund', 'open', 1, 20), ('out_invoice', 'draft', 1, 40), ('in_invoice', 'draft', 2, 10);
                CREATE TABLE account_move (id serial PRIMARY KEY, state varchar, company_id int);
                INSERT INTO account_move (state, company_id) VALUES ('posted', 1), ('posted', 1), ('posted', 2), ('posted', 1),
                  ('posted', 2), ('draft', 1);
                CREATE TABLE account_move_line (id serial PRIMARY KEY, move_id int REFERENCES account_move, company_id int,
                  debit numeric, credit numeric);
                """ + journalItems();
    }

    /** From 13.0: every invoice is a journal entry (drafts too); the entries that are not invoices are of type 'entry'. */
    private static String accountingFrom13(int major) {
        String type = major >= 14 ? "move_type" : "type";
        return """
                CREATE TABLE account_move (id serial PRIMARY KEY, %1$s varchar, state varchar, company_id int);
                INSERT INTO account_move (%1$s, state, company_id) VALUES ('out_invoice', 'posted', 1), ('out_invoice', 'posted', 1),
                  ('in_invoice', 'posted', 2), ('out_refund', 'posted', 1), ('entry', 'posted', 2), ('entry', 'draft', 1),
                  ('out_invoice', 'draft', 1), ('in_invoice', 'draft', 2);
                CREATE TABLE account_move_line (id serial PRIMARY KEY, move_id int REFERENCES account_move, company_id int,
                  debit numeric, credit numeric, parent_state varchar);
                """.formatted(type) + journalItems()
                + "UPDATE account_move_line l SET parent_state = m.state FROM account_move m WHERE m.id = l.move_id;";
    }

    /** Two balanced lines for each of the first six entries (the same amounts in every series). */
    private static String journalItems() {
        return """
                INSERT INTO account_move_line (move_id, company_id, debit, credit)
                  SELECT m.id, m.company_id, a.amount, 0 FROM account_move m JOIN (VALUES (1, 100), (2, 250.50), (3, 80), (4, 20), (5, 300),
                    (6, 15)) a(id, amount) ON a.id = m.id
                  UNION ALL
                  SELECT m.id, m.company_id, 0, a.amount FROM account_move m JOIN (VALUES (1, 100), (2, 250.50), (3, 80), (4, 20), (5, 300),
                    (6, 15)) a(id, amount) ON a.id = m.id;
                """;
    }
}
