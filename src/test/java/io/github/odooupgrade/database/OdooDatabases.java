package io.github.odooupgrade.database;

import static io.github.odooupgrade.database.LocalPostgres.psql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Odoo-shaped databases for tests, on the machine's PostgreSQL: written for the tests (not Odoo's schema, the
 * tables and columns an upgrade and its checks look at): modules with their state and version, companies,
 * partners, users, the enterprise code in the configuration parameters, and attachments whose files are in a
 * filestore folder, as Odoo keeps them ({@code <filestore>/<database>/<2 chars>/<sha1>}).
 */
public final class OdooDatabases {
    /** The tables a test counts rows of. */
    public static final List<String> TABLES = List.of("ir_module_module", "res_company", "res_partner", "res_users", "ir_attachment");
    public static final String ENTERPRISE_CODE = "M123456-abcdef";

    private OdooDatabases() {}

    /** {@code name}, empty: dropped first if it was there. */
    static void createEmpty(String name) {
        PgConnection.checkName(name);
        psql("postgres", "DROP DATABASE IF EXISTS " + name);
        psql("postgres", "CREATE DATABASE " + name);
    }

    /** Creates {@code name} with {@code partners} partners, and its filestore under {@code filestoreRoot} (null: none). */
    public static void create(String name, int partners, Path filestoreRoot) throws IOException {
        createEmpty(name);
        psql(name, """
                CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar, latest_version varchar);
                INSERT INTO ir_module_module (name, state, latest_version) VALUES
                  ('base', 'installed', '17.0.1.3'), ('web', 'installed', '17.0.1.0'), ('sale', 'installed', '17.0.1.2'),
                  ('account', 'installed', '17.0.1.2'), ('stock', 'uninstalled', NULL);
                CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text);
                INSERT INTO ir_config_parameter (key, value) VALUES ('database.enterprise_code', '%s'),
                  ('database.uuid', '6f0a1c52-2f7e-11ef-9a54-0242ac120002');
                CREATE TABLE res_company (id serial PRIMARY KEY, name varchar NOT NULL);
                INSERT INTO res_company (name) VALUES ('Main Company');
                CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, email varchar, company_id int REFERENCES res_company);
                INSERT INTO res_partner (name, email, company_id) SELECT 'Partner ' || i, 'p' || i || '@example.com', 1
                  FROM generate_series(1, %d) i;
                CREATE TABLE res_users (id serial PRIMARY KEY, login varchar NOT NULL UNIQUE, partner_id int REFERENCES res_partner);
                INSERT INTO res_users (login, partner_id) VALUES ('admin', 1), ('demo', 2);
                CREATE TABLE ir_attachment (id serial PRIMARY KEY, name varchar, res_model varchar, store_fname varchar, file_size int);
                """.formatted(ENTERPRISE_CODE, Math.max(2, partners)));
        String[][] files = {{"invoice.pdf", "%PDF-1.4 an invoice"}, {"logo.png", "a logo's bytes"}};
        for (String[] f : files) {
            String sha = sha1(f[1]);
            String store = sha.substring(0, 2) + "/" + sha;
            psql(name, "INSERT INTO ir_attachment (name, res_model, store_fname, file_size) VALUES ('" + f[0] + "', 'res.partner', '"
                    + store + "', " + f[1].length() + ")");
            if (filestoreRoot != null) {
                Path file = filestoreRoot.resolve(name).resolve(store);
                Files.createDirectories(file.getParent());
                Files.writeString(file, f[1], StandardCharsets.UTF_8);
            }
        }
    }

    /** The row counts of {@link #TABLES}. */
    public static Map<String, Long> counts(String database) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, Long.parseLong(psql(database, "SELECT count(*) FROM " + table)));
        }
        return counts;
    }

    /** A test's own databases: a new name per call, all dropped at the end (call {@link #dropAll} after each test). */
    public static final class Scratch {
        private final List<String> names = new java.util.ArrayList<>();

        public String name(String prefix) {
            String name = prefix + "_" + Long.toHexString(System.nanoTime());
            names.add(name);
            return name;
        }

        /** A database the code under test made (its name chosen there): dropped with the others. */
        public String dropLater(String name) {
            names.add(name);
            return name;
        }

        public void dropAll() {
            drop(names.toArray(String[]::new));
            names.clear();
        }
    }

    public static void drop(String... databases) {
        for (String db : databases) {
            psql("postgres", "DROP DATABASE IF EXISTS " + PgConnection.checkName(db));
        }
    }

    /** The filestore's file names (relative), as a restored filestore must hold them too. */
    public static List<String> filestore(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).map(f -> folder.relativize(f).toString()).sorted().toList();
        }
    }

    static String sha1(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
