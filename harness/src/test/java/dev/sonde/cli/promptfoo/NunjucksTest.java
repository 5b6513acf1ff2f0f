package dev.sonde.cli.promptfoo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Nunjucks templates rewritten as Mustache where both mean the same, and refused where not. */
class NunjucksTest {

    private static Nunjucks.Converted converted(String template) {
        Nunjucks.Result result = Nunjucks.convert(template);
        assertThat(result).as(template).isInstanceOf(Nunjucks.Converted.class);
        return (Nunjucks.Converted) result;
    }

    private static Nunjucks.Refused refused(String template) {
        Nunjucks.Result result = Nunjucks.convert(template);
        assertThat(result).as(template).isInstanceOf(Nunjucks.Refused.class);
        return (Nunjucks.Refused) result;
    }

    @Test
    void variables_and_dotted_access_keep_their_names_without_the_spaces() {
        Nunjucks.Converted c = converted("Hi {{ user.name }}, about {{topic}}: {{- note -}}");
        assertThat(c.mustache()).isEqualTo("Hi {{user.name}}, about {{topic}}: {{note}}");
        assertThat(c.topVars()).containsExactly("user", "topic", "note");
    }

    @Test
    void if_else_becomes_a_section_and_its_inverse() {
        assertThat(converted("{% if formal %}Dear sir{% else %}Hey{% endif %}!").mustache())
                .isEqualTo("{{#formal}}Dear sir{{/formal}}{{^formal}}Hey{{/formal}}!");
        assertThat(converted("{% if not quiet %}Loud{% endif %}").mustache()).isEqualTo("{{^quiet}}Loud{{/quiet}}");
    }

    @Test
    void a_for_loop_over_items_fields_becomes_a_section_with_the_fields_bare() {
        Nunjucks.Converted c = converted("{% for doc in docs %}- {{ doc.title }} ({{ doc }}) {{ lang }}\n{% endfor %}");
        assertThat(c.mustache()).isEqualTo("{{#docs}}- {{title}} ({{.}}) {{lang}}\n{{/docs}}");
        assertThat(c.topVars()).as("Nunjucks reads a name inside the loop that is not the loop's variable from the test's vars")
                .containsExactly("docs", "lang");
    }

    @Test
    void a_var_read_only_inside_if_or_for_is_recorded_so_it_gets_a_default_but_a_loop_variable_is_not() {
        assertThat(converted("Hi{% if a %} {{ b.name }}{% endif %}").topVars()).containsExactly("a", "b");
        assertThat(converted("{% for x in xs %}{% if x.on %}{{ x }} for {{ topic }}{% endif %}{% endfor %}").topVars())
                .containsExactly("xs", "topic");
    }

    @Test
    void dump_is_the_var_itself_since_sonde_writes_lists_and_mappings_as_json() {
        assertThat(converted("Data: {{ rows | dump }}").mustache()).isEqualTo("Data: {{rows}}");
    }

    @Test
    void comments_stay_comments() {
        assertThat(converted("{# internal #}Go").mustache()).isEqualTo("{{! internal }}Go");
    }

    @Test
    void filters_expressions_loop_variables_and_other_tags_are_refused_with_the_construct() {
        assertThat(refused("{{ name | upper }}").construct()).isEqualTo("{{ name | upper }}");
        assertThat(refused("{{ name | upper }}").why()).contains("filter");
        assertThat(refused("{{ a + b }}").why()).contains("expression");
        assertThat(refused("{% for x in xs %}{{ loop.index }}{% endfor %}").why()).contains("loop");
        assertThat(refused("{% set x = 1 %}").why()).contains("no Mustache equivalent");
        assertThat(refused("{% if a %}open").why()).isEqualTo("not closed");
    }

    @Test
    void text_without_tags_passes_untouched_including_html() {
        assertThat(converted("<b>a & b</b> \"q\"").mustache()).isEqualTo("<b>a & b</b> \"q\"");
    }

    @Test
    void literal_indexes_and_quoted_keys_become_dotted_segments_and_other_subscripts_are_refused() {
        Nunjucks.Converted c = converted("A) {{ options[0] }} B) {{options[ 1 ]}} {{ row['title'] }} {{ row[\"year\"] }} {{ grid[2][0] }}");
        assertThat(c.mustache()).isEqualTo("A) {{options.0}} B) {{options.1}} {{row.title}} {{row.year}} {{grid.2.0}}");
        assertThat(c.topVars()).containsExactly("options", "row", "grid");
        assertThat(converted("{% for r in rows %}{{ r['name'] }}{% endfor %}").mustache()).isEqualTo("{{#rows}}{{name}}{{/rows}}");
        assertThat(converted("{% if flags[0] %}on{% endif %}").mustache()).isEqualTo("{{#flags.0}}on{{/flags.0}}");
        assertThat(refused("{{ options[i] }}").why()).contains("an expression");
        assertThat(refused("{{ row['two words'] }}").why()).contains("an expression");
        assertThat(refused("{{ options[-1] }}").why()).contains("an expression");
    }
}
