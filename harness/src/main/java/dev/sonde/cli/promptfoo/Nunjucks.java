package dev.sonde.cli.promptfoo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a promptfoo (Nunjucks) template as a Sonde (Mustache) one, for the constructs that mean
 * the same in both: {@code {{ var }}} and dotted access as is; {@code {{ x | dump }}} as {@code {{x}}}
 * (Sonde writes a list or mapping as its JSON); literal subscripts ({@code {{ rows[0]['name'] }}}) as
 * dotted segments ({@code {{rows.0.name}}}: jmustache reads a number as a list index, but an index
 * past the list's end is a suite error where Nunjucks renders nothing); {@code {% if v %}…{% else %}…{% endif %}} as a
 * section and its inverse; {@code {% for x in xs %}…{% endfor %}} as a section over {@code xs} when
 * the body uses only {@code x} and {@code x.field}; {@code {# … #}} as a comment. Anything else (other
 * filters, expressions, {@code set}, macros, loop variables) is refused with the construct, so the
 * caller lists it as unmapped. Both render without HTML escaping.
 */
final class Nunjucks {
    private static final Pattern TAG = Pattern.compile("\\{\\{-?(.*?)-?}}|\\{%-?(.*?)-?%}|\\{#(.*?)#}", Pattern.DOTALL);
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
    private static final Pattern PATH = Pattern.compile(NAME + "(?:\\.(?:" + NAME + "|\\d{1,9}))*");
    /** A literal subscript: {@code [0]}, {@code ['key']} or {@code ["key"]} (a key that is a plain name). */
    private static final Pattern SUBSCRIPT = Pattern.compile("\\[\\s*(?:(\\d{1,9})|(['\"])(" + NAME + ")\\2)\\s*]");
    private static final Pattern DUMP = Pattern.compile("(" + PATH.pattern() + ")\\s*\\|\\s*dump(?:\\(\\s*\\d*\\s*\\))?");
    private static final Pattern IF = Pattern.compile("if\\s+(not\\s+)?(" + PATH.pattern() + ")");
    private static final Pattern FOR = Pattern.compile("for\\s+(" + NAME + ")\\s+in\\s+(" + PATH.pattern() + ")");

    private Nunjucks() {}

    /** A template rewritten, or why it could not be. */
    sealed interface Result permits Converted, Refused {}

    /**
     * @param topVars the names the template reads as variables of the test, inside sections too
     *     (every path head that is not a loop's variable), to be given a value when a test sets none
     */
    record Converted(String mustache, Set<String> topVars) implements Result {}

    record Refused(String construct, String why) implements Result {}

    private record Open(String kind, String var, String loopVar, boolean negated) {}

    static Result convert(String template) {
        StringBuilder out = new StringBuilder();
        Set<String> top = new LinkedHashSet<>();
        Deque<Open> open = new ArrayDeque<>();
        Matcher m = TAG.matcher(template);
        int last = 0;
        while (m.find()) {
            out.append(template, last, m.start());
            last = m.end();
            if (m.group(3) != null) {
                out.append("{{!").append(m.group(3).replace("}}", "} }")).append("}}");
                continue;
            }
            boolean output = m.group(1) != null;
            String body = subscripts((output ? m.group(1) : m.group(2)).strip());
            if (output) {
                Matcher dump = DUMP.matcher(body);
                String path = PATH.matcher(body).matches() ? body : dump.matches() ? dump.group(1) : null;
                if (path == null) {
                    return new Refused(m.group(), body.contains("|")
                            ? "a Nunjucks filter; Sonde's Mustache has no filters"
                            : "an expression; Sonde's Mustache writes only a variable or a field");
                }
                String name = rename(path, open);
                if (name == null) {
                    return new Refused(m.group(), "a loop's own variables (loop.index, …) and an outer loop's item have no Mustache form");
                }
                read(path, open, top);
                out.append("{{").append(name).append("}}");
                continue;
            }
            Matcher ifTag = IF.matcher(body);
            Matcher forTag = FOR.matcher(body);
            if (ifTag.matches()) {
                String var = rename(ifTag.group(2), open);
                if (var == null || ".".equals(var)) {
                    return new Refused(m.group(), "a condition on the loop item has no Mustache form");
                }
                read(ifTag.group(2), open, top);
                boolean negated = ifTag.group(1) != null;
                open.push(new Open("if", var, null, negated));
                out.append(negated ? "{{^" : "{{#").append(var).append("}}");
            } else if (body.equals("else") && !open.isEmpty() && open.peek().kind().equals("if")) {
                Open o = open.pop();
                out.append("{{/").append(o.var()).append("}}").append(o.negated() ? "{{#" : "{{^").append(o.var()).append("}}");
                open.push(new Open("else", o.var(), null, o.negated()));
            } else if (body.equals("endif") && !open.isEmpty() && !open.peek().kind().equals("for")) {
                out.append("{{/").append(open.pop().var()).append("}}");
            } else if (forTag.matches()) {
                String var = rename(forTag.group(2), open);
                if (var == null || ".".equals(var)) {
                    return new Refused(m.group(), "a loop over the loop item has no Mustache form");
                }
                read(forTag.group(2), open, top);
                open.push(new Open("for", var, forTag.group(1), false));
                out.append("{{#").append(var).append("}}");
            } else if (body.equals("endfor") && !open.isEmpty() && open.peek().kind().equals("for")) {
                out.append("{{/").append(open.pop().var()).append("}}");
            } else {
                return new Refused(m.group(), "a Nunjucks tag with no Mustache equivalent");
            }
        }
        if (!open.isEmpty()) {
            return new Refused("{% " + open.peek().kind() + " %}", "not closed");
        }
        String rest = template.substring(last);
        out.append(rest);
        return new Converted(out.toString(), top);
    }

    /** Records the head of {@code path} unless it names an open loop's item. */
    private static void read(String path, Deque<Open> open, Set<String> top) {
        String head = path.split("\\.")[0];
        if (open.stream().noneMatch(o -> head.equals(o.loopVar()))) {
            top.add(head);
        }
    }

    /**
     * Literal subscripts as dotted segments ({@code rows[0]['name']} → {@code rows.0.name}): jmustache
     * reads a number segment as a list index and a name as a map key. Anything else stays, and is refused.
     */
    static String subscripts(String body) {
        return SUBSCRIPT.matcher(body).replaceAll(r -> "." + (r.group(1) != null ? r.group(1) : r.group(3)));
    }

    /**
     * A path as Mustache reads it inside the open sections: the innermost loop's item becomes
     * {@code .} and its fields bare names; {@code null} for a loop's own variables.
     */
    private static String rename(String path, Deque<Open> open) {
        String head = path.split("\\.")[0];
        boolean innermost = true;
        for (Open o : open) {
            if (!o.kind().equals("for")) {
                continue;
            }
            if (head.equals("loop")) {
                return null;
            }
            if (head.equals(o.loopVar())) {
                if (!innermost) {
                    return null; // an outer loop's item: Mustache cannot name it from inside
                }
                return path.equals(head) ? "." : path.substring(head.length() + 1);
            }
            innermost = false;
        }
        return path;
    }
}
