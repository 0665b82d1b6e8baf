package io.github.odooupgrade.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code campaign --list FILE.csv}: one database per line after a header line naming the columns.
 * An empty cell takes the command's option. Relative dump paths are read from the list's folder.
 */
final class CampaignList {
    private static final Pattern ITEM = Pattern.compile("^item (\\d+): (.*)$", Pattern.DOTALL);

    /** The columns, and the start variable each one gives. */
    static final Map<String, String> COLUMNS = columns();

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("dump", Var.DUMP_FILE);
        c.put("database", Var.SOURCE_DATABASE);
        c.put("with_filestore", Var.INCLUDE_FILESTORE);
        c.put("target", Var.TARGET);
        c.put("aim", Var.AIM);
        c.put("upload_method", Var.UPLOAD_METHOD);
        c.put("skip_tests", Var.SKIP_TESTS);
        c.put("restore_as", Var.RESTORE_DATABASE);
        c.put("email", Var.EMAIL);
        c.put("platform", Var.PLATFORM_API);
        c.put("wipe", Var.WIPE_AFTER);
        c.put("test_first", Var.TEST_FIRST);
        return c;
    }

    private CampaignList() {}

    /** The items of {@code file} over {@code defaults}; what is wrong goes to {@code problems}, with its line. */
    static List<Map<String, Object>> read(Path file, Map<String, Object> defaults, List<String> problems) {
        List<Map<String, Object>> items = new ArrayList<>();
        CsvMapper csv = new CsvMapper();
        try (MappingIterator<Map<String, String>> rows = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader().withColumnReordering(true)).readValues(file.toFile())) {
            int line = 1;
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                line++;
                Map<String, Object> item = new HashMap<>(defaults);
                for (Map.Entry<String, String> cell : row.entrySet()) {
                    String column = cell.getKey().trim().toLowerCase(Locale.ROOT);
                    String value = cell.getValue() == null ? "" : cell.getValue().trim();
                    String var = COLUMNS.get(column);
                    if (var == null) {
                        problems.add(file + " line 1: unknown column " + cell.getKey() + " (the columns: " + String.join(", ", COLUMNS.keySet()) + ")");
                        return List.of();
                    }
                    if (!value.isEmpty()) {
                        item.put(var, value(file, var, value));
                    }
                }
                if (item.get(Var.SOURCE_DATABASE) != null) {
                    item.remove(Var.DUMP_FILE); // a database line names no dump
                }
                if (item.get(Var.RESTORE_DATABASE) != null) {
                    item.put(Var.RESTORE, true);
                }
                items.add(item);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(file + " cannot be read as CSV: " + e.getMessage());
            return List.of();
        }
        if (items.isEmpty() && problems.isEmpty()) {
            problems.add(file + " lists no database: give a header line (e.g. dump,target,aim) and one line per database");
        }
        return items;
    }

    private static Object value(Path file, String var, String value) {
        return switch (var) {
            case Var.DUMP_FILE -> file.toAbsolutePath().getParent().resolve(value).toString();
            case Var.SKIP_TESTS, Var.INCLUDE_FILESTORE, Var.WIPE_AFTER, Var.TEST_FIRST -> value.matches("(?i)true|yes|y|1");
            default -> value;
        };
    }

    /** "item N: …" of the campaign's check as "FILE line N+1: …" (the header is line 1). */
    static String onLine(Path file, String problem) {
        Matcher m = ITEM.matcher(problem);
        return m.matches() ? file + " line " + (Integer.parseInt(m.group(1)) + 1) + ": " + m.group(2) : file + ": " + problem;
    }
}
