package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

class ForkClassPathTest {
    @Test
    void sonde_cli_and_its_libraries_in_mavens_order_without_the_plugin_or_maven_itself() throws Exception {
        List<Artifact> artifacts = List.of(
                artifact("dev.sonde", "sonde-maven-plugin"),
                artifact("dev.sonde", "sonde-cli"),
                artifact("info.picocli", "picocli"),
                artifact("org.apache.maven", "maven-plugin-api"),
                artifact("org.apache.maven.resolver", "maven-resolver-api"),
                artifact("com.fasterxml.jackson.core", "jackson-databind"));
        assertThat(ForkClassPath.of(artifacts)).containsExactly(Path.of("/repo/sonde-cli.jar"),
                Path.of("/repo/picocli.jar"), Path.of("/repo/jackson-databind.jar"));
    }

    @Test
    void a_plugin_without_sonde_cli_is_a_broken_installation_said_in_one_line() {
        assertThatThrownBy(() -> ForkClassPath.of(List.of(artifact("info.picocli", "picocli"))))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Sonde: dev.sonde:sonde-cli is not among the plugin's dependencies");
    }

    @Test
    void an_unresolved_artifact_is_named() {
        DefaultArtifact unresolved = new DefaultArtifact("a", "b", "1", "runtime", "jar", null,
                new DefaultArtifactHandler("jar"));
        assertThatThrownBy(() -> ForkClassPath.of(List.of(artifact("dev.sonde", "sonde-cli"), unresolved)))
                .isInstanceOf(MojoExecutionException.class).hasMessageContaining("a:b:jar:1");
    }

    private static Artifact artifact(String group, String id) {
        DefaultArtifact a = new DefaultArtifact(group, id, "1.0", "runtime", "jar", null, new DefaultArtifactHandler("jar"));
        a.setFile(new File("/repo/" + id + ".jar"));
        return a;
    }
}
