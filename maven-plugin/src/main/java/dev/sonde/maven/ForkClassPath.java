package dev.sonde.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The forked JVM's class path: the plugin's own resolved artifacts (sonde-cli and its runtime
 * dependencies, as Maven resolved them for this plugin) less the plugin's jar and Maven's own
 * artifacts, in Maven's order.
 */
final class ForkClassPath {
    static final String GROUP = "dev.sonde";
    static final String PLUGIN = "sonde-maven-plugin";
    static final String CLI = "sonde-cli";

    private ForkClassPath() {}

    /**
     * @throws MojoExecutionException an artifact has no file, or sonde-cli is not among them (a
     *     broken installation of the plugin)
     */
    static List<Path> of(Collection<Artifact> pluginArtifacts) throws MojoExecutionException {
        List<Path> jars = new ArrayList<>();
        boolean cli = false;
        for (Artifact a : pluginArtifacts) {
            if (GROUP.equals(a.getGroupId()) && PLUGIN.equals(a.getArtifactId()) || isMaven(a.getGroupId())) {
                continue;
            }
            File file = a.getFile();
            if (file == null) {
                throw new MojoExecutionException("Sonde: the plugin's dependency " + a.getId() + " is not resolved to a file");
            }
            cli |= GROUP.equals(a.getGroupId()) && CLI.equals(a.getArtifactId());
            jars.add(file.toPath());
        }
        if (!cli) {
            throw new MojoExecutionException("Sonde: " + GROUP + ":" + CLI + " is not among the plugin's dependencies"
                    + " (a damaged local repository? run with -U)");
        }
        return jars;
    }

    private static boolean isMaven(String groupId) {
        return groupId.equals("org.apache.maven") || groupId.startsWith("org.apache.maven.");
    }
}
