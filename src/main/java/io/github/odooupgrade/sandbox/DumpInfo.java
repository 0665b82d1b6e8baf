package io.github.odooupgrade.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What inspecting an uploaded file found.
 *
 * @param format      pgdmp_custom, sql, or null when the file is not a dump
 * @param compressions what the status answers as {@code compressions}, e.g. [pgdmp_custom, sql]
 * @param postgresql  major version of the server the dump was taken from ("9.4", "15"), or null
 * @param filestore   whether a zip carries the Odoo filestore next to dump.sql
 * @param problem     why the file is not a usable dump, or null when it is one
 */
public record DumpInfo(String format, List<String> compressions, String postgresql, boolean filestore, String problem) {

    public static DumpInfo notADump(String problem) {
        return new DumpInfo(null, List.of(), null, false, problem);
    }

    @JsonIgnore
    public boolean isDump() {
        return problem == null;
    }
}
