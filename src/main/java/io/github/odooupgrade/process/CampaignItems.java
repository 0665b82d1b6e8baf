package io.github.odooupgrade.process;

import io.github.odooupgrade.process.CampaignProcess.Item;
import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import io.github.odooupgrade.process.UpgradeProcess.Value;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A campaign's items, checked before anything starts; the test items run first, the production items
 * once approved — but a test-first production item runs with the tests and asks its own approval, after
 * trying its test database (the upgrade's own test-first path). Each item is
 * checked by the upgrade's own {@link InputValidator}; what only the list can show (two items restoring
 * into one database, one dump given twice) is checked here. Every problem names its item.
 */
public final class CampaignItems {
    private CampaignItems() {}

    /** The items numbered and completed as the validation reads them; {@code production}: how many are production upgrades. */
    public record Checked(List<Map<String, Object>> items, int production) {}

    /** The items to upgrade and those left out, with why. */
    public record Selection(List<Map<String, Object>> run, List<Map<String, Object>> leftOut) {}

    /** The variables the items of a dumps folder share: the campaign start form's. */
    static final List<String> SHARED = List.of(Var.PLATFORM_API, Var.EMAIL, Var.TARGET, Var.AIM, Var.UPLOAD_METHOD, Var.SKIP_TESTS,
            Var.WIPE_AFTER, Var.TEST_FIRST);

    /**
     * The items of a campaign instance: its {@code campaignItems}, or else one item per file of its
     * {@code dumpsDir} (in name order, hidden files left out), with the start form's shared choices.
     */
    public static List<?> given(Map<String, Object> vars) {
        if (vars.get(CampaignProcess.Var.ITEMS) instanceof List<?> items && !items.isEmpty()) {
            return items;
        }
        Object dir = vars.get(CampaignProcess.Var.DUMPS_DIR);
        if (dir == null || dir.toString().isBlank()) {
            throw new InvalidInputException(List.of("give " + CampaignProcess.Var.ITEMS + " (a list of items) or "
                    + CampaignProcess.Var.DUMPS_DIR + " (a folder of dumps)"));
        }
        Path folder = Path.of(dir.toString().trim());
        List<Map<String, Object>> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList()) {
                Map<String, Object> item = new HashMap<>();
                SHARED.forEach(name -> item.put(name, vars.get(name)));
                item.put(Var.DUMP_FILE, file.toString());
                items.add(item);
            }
        } catch (IOException e) {
            throw new InvalidInputException(List.of(CampaignProcess.Var.DUMPS_DIR + " " + folder + " cannot be read on the workers' "
                    + "machine (" + e.getClass().getSimpleName() + "): give an existing folder of dumps"));
        }
        if (items.isEmpty()) {
            throw new InvalidInputException(List.of(CampaignProcess.Var.DUMPS_DIR + " " + folder + " holds no dump: put the dumps in it"));
        }
        return items;
    }

    public static Checked check(List<?> given, InputValidator validator) {
        List<String> problems = new ArrayList<>();
        if (given == null || given.isEmpty()) {
            throw new InvalidInputException(List.of(CampaignProcess.Var.ITEMS + " is empty: give at least one item"));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, Integer> restores = new HashMap<>();
        Map<String, Integer> dumps = new HashMap<>();
        int production = 0;
        for (int i = 0; i < given.size(); i++) {
            int number = i + 1;
            if (!(given.get(i) instanceof Map<?, ?> raw)) {
                problems.add("item " + number + ": not a set of fields (dumpFile, target, aim, …)");
                continue;
            }
            Map<String, Object> vars = new HashMap<>();
            raw.forEach((k, v) -> vars.put(k.toString(), v));
            ValidInput input;
            try {
                input = validator.validate(vars);
            } catch (InvalidInputException e) {
                e.problems().forEach(p -> problems.add("item " + number + ": " + p));
                continue;
            }
            if (input.contract() != null) {
                problems.add("item " + number + ": a contract per item is not taken (it would sit in the campaign's variables in clear): "
                        + "configure upgrade.contract on the workers");
            }
            sameTwice(restores, input.restoreDatabase(), number, "restore into the database", problems);
            // a test copy before the production run is the same dump twice, with two aims
            sameTwice(dumps, input.dumpFile() == null ? null : input.dumpFile() + " for " + input.aim(), number, "upload the dump", problems);
            Map<String, Object> item = completed(number, input);
            if (production(item)) {
                production++;
            }
            items.add(item);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new Checked(items, production);
    }

    /** The first pass: every test item, and the test-first ones (a production item waits for the campaign's approval). */
    public static List<Map<String, Object>> testItems(List<?> items) {
        return maps(items).stream().filter(i -> !production(i)).toList();
    }

    /**
     * The second pass, after the approval: the production items when {@code approval} is "approve", but
     * those the approver left out ({@code dropped}: item numbers, as typed); the others, left out with why.
     */
    public static Selection productionItems(List<?> items, Object approval, Object dropped) {
        Set<Integer> out = numbers(dropped);
        List<Map<String, Object>> run = new ArrayList<>();
        List<Map<String, Object>> leftOut = new ArrayList<>();
        for (Map<String, Object> item : maps(items)) {
            if (!production(item)) {
                continue;
            }
            int number = ((Number) item.get(Item.NUMBER)).intValue();
            String why = !Value.APPROVE.equals(approval) ? "production upgrade not approved"
                    : out.contains(number) ? "left out by the approver" : null;
            if (why == null) {
                run.add(item);
            } else {
                leftOut.add(Map.of(Item.NUMBER, number, Item.NAME, item.get(Item.NAME), "why", why));
            }
        }
        return new Selection(run, leftOut);
    }

    /**
     * The approval's table: each production item, and how the test upgrade of the same database (the
     * same dump or source database name) went in this campaign, where it has one.
     */
    public static String approvalList(List<?> items, List<?> testResults) {
        Map<Integer, Map<?, ?>> results = new HashMap<>();
        for (Object o : testResults == null ? List.of() : testResults) {
            Map<?, ?> r = (Map<?, ?>) o;
            results.put(((Number) r.get(Item.NUMBER)).intValue(), r);
        }
        Map<String, Map<?, ?>> testOf = new HashMap<>();
        for (Map<String, Object> item : maps(items)) {
            Map<?, ?> r = results.get(((Number) item.get(Item.NUMBER)).intValue());
            if (!production(item) && r != null) {
                testOf.put(String.valueOf(item.get(Item.NAME)), r);
            }
        }
        StringBuilder table = new StringBuilder("| item | database | target | restore into | its test in this campaign |\n|---|---|---|---|---|\n");
        for (Map<String, Object> item : maps(items)) {
            if (production(item)) {
                Map<?, ?> test = testOf.get(String.valueOf(item.get(Item.NAME)));
                table.append("| ").append(item.get(Item.NUMBER)).append(" | ").append(item.get(Item.NAME)).append(" | ")
                        .append(item.get(Var.TARGET)).append(" | ").append(item.get(Var.RESTORE_DATABASE) == null ? "-"
                                : item.get(Var.RESTORE_DATABASE)).append(" | ")
                        .append(test == null ? "-" : test.get(Item.OUTCOME) + " (request " + test.get(Var.REQUEST_ID) + ")").append(" |\n");
            }
        }
        return table.toString();
    }

    /** A production item that waits for the campaign's approval (a test-first one asks its own, after its test). */
    private static boolean production(Map<String, Object> item) {
        return Value.AIM_PRODUCTION.equals(item.get(Var.AIM)) && !Boolean.TRUE.equals(item.get(Var.TEST_FIRST));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(List<?> items) {
        return items == null ? List.of() : items.stream().map(o -> (Map<String, Object>) o).toList();
    }

    private static Set<Integer> numbers(Object dropped) {
        Set<Integer> numbers = new TreeSet<>();
        if (dropped != null) {
            for (String part : dropped.toString().split("[,;\\s]+")) {
                if (part.matches("\\d+")) {
                    numbers.add(Integer.parseInt(part));
                }
            }
        }
        return numbers;
    }

    private static void sameTwice(Map<String, Integer> seen, String key, int number, String what, List<String> problems) {
        if (key == null) {
            return;
        }
        Integer first = seen.putIfAbsent(key, number);
        if (first != null) {
            problems.add("item " + number + ": items " + first + " and " + number + " both " + what + " " + key + ": give each its own");
        }
    }

    /** The start variables the upgrade reads, every one present (the call activity maps them all). */
    private static Map<String, Object> completed(int number, ValidInput in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Item.NUMBER, number);
        m.put(Item.NAME, in.sourceDatabase() != null ? in.sourceDatabase() : in.dumpName());
        m.put(Var.DUMP_FILE, in.dumpFile() == null ? null : in.dumpFile().toString());
        m.put(Var.SOURCE_DATABASE, in.sourceDatabase());
        m.put(Var.INCLUDE_FILESTORE, in.includeFilestore());
        m.put(Var.EMAIL, in.email());
        m.put(Var.TARGET, in.target());
        m.put(Var.AIM, in.aim());
        m.put(Var.UPLOAD_METHOD, in.uploadMethod());
        m.put(Var.TIMEZONE, in.timezone());
        m.put(Var.SKIP_TESTS, in.skipTests());
        m.put(Var.RESTORE, in.restoreDatabase() != null);
        m.put(Var.RESTORE_DATABASE, in.restoreDatabase());
        m.put(Var.POLL_INTERVAL, in.pollInterval().toString());
        m.put(Var.DEADLINE, in.deadline().toString());
        m.put(Var.PLATFORM_API, in.platformApi());
        m.put(Var.WIPE_AFTER, in.wipeAfter());
        m.put(Var.TEST_FIRST, in.testFirst());
        m.put(Var.APPROVAL_REMINDER, in.approvalReminder() == null ? null : in.approvalReminder().toString());
        return m;
    }
}
