package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteFileTest {
    @TempDir
    Path project;

    @Test
    void a_file_resolves_against_the_project_and_is_named_without_its_extension() throws Exception {
        Path file = write("src/test/sonde/orders.yaml");
        assertThat(SuiteFile.resolve(project, List.of("src/test/sonde/orders.yaml")))
                .containsExactly(new SuiteFile("orders", file));
    }

    @Test
    void a_file_without_an_extension_is_named_by_its_whole_name() throws Exception {
        Path plain = write("suites/orders");
        Path hidden = write(".smoke");
        assertThat(SuiteFile.resolve(project, List.of("suites/orders", ".smoke")))
                .containsExactly(new SuiteFile("orders", plain), new SuiteFile(".smoke", hidden));
    }

    @Test
    void a_directory_means_its_yaml_files_directly_inside_sorted_by_name() throws Exception {
        Path b = write("suites/b.yaml");
        Path a = write("suites/a.yml");
        write("suites/notes.txt");
        write("suites/nested/c.yaml");
        assertThat(SuiteFile.resolve(project, List.of("suites")))
                .containsExactly(new SuiteFile("a", a), new SuiteFile("b", b));
    }

    @Test
    void entries_keep_their_order_and_an_absolute_path_is_taken_as_it_is() throws Exception {
        Path z = write("z.yaml");
        Path y = write("dir/y.yaml");
        assertThat(SuiteFile.resolve(project, List.of(z.toString(), " dir ")))
                .extracting(SuiteFile::name).containsExactly("z", "y");
        assertThat(SuiteFile.resolve(project, List.of("z.yaml", "z.yaml"))).hasSize(1);
        assertThat(y).exists();
    }

    @Test
    void a_missing_path_names_the_path() {
        assertThatThrownBy(() -> SuiteFile.resolve(project, List.of("suites/nope.yaml")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: suite " + project.resolve("suites/nope.yaml") + " does not exist");
    }

    @Test
    void a_directory_without_a_suite_is_an_error_not_a_silent_pass() throws Exception {
        write("empty/readme.md");
        assertThatThrownBy(() -> SuiteFile.resolve(project, List.of("empty")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("Sonde: suite directory " + project.resolve("empty") + " holds no .yaml file");
    }

    @Test
    void no_suites_configured_says_how_to_configure_them() {
        for (List<String> none : Arrays.asList(null, List.<String>of(), Arrays.asList(" ", null))) {
            assertThatThrownBy(() -> SuiteFile.resolve(project, none))
                    .isInstanceOf(MojoExecutionException.class)
                    .hasMessageContaining("no suites configured").hasMessageContaining("-Dsonde.suites=");
        }
    }

    @Test
    void two_suites_of_one_name_would_share_a_run_folder_and_are_refused() throws Exception {
        write("a/orders.yaml");
        write("b/orders.yaml");
        assertThatThrownBy(() -> SuiteFile.resolve(project, List.of("a", "b")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("two suites are named orders")
                .hasMessageContaining(project.resolve("a/orders.yaml").toString())
                .hasMessageContaining(project.resolve("b/orders.yaml").toString());
    }

    private Path write(String relative) throws Exception {
        Path file = project.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "name: x\n");
    }
}
