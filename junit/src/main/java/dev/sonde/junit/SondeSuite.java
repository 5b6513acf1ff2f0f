package dev.sonde.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose discovery runs Sonde suites through the {@code sonde} engine: the opt-in
 * (adding the engine to the test classpath alone runs nothing). The class itself stays empty; Surefire,
 * Failsafe, Gradle and IDEs find it by name as they find any test class, and the engine lists under it
 * one container per suite, one per case and one test per trial.
 *
 * <pre>{@code
 * @SondeSuite("src/test/sonde/smoke.yaml")
 * class SmokeIT {}
 * }</pre>
 *
 * <p>With no value the class runs the suite the build requests: {@code sonde.suite} (a name, run as
 * {@code <base>/suites/NAME.yaml}, or a path), as this repository's {@code -Psuite=NAME} gate does; with
 * none requested it is reported skipped.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SondeSuite {
    /**
     * Suite files, or directories whose {@code *.yaml} files (directly in them) are suites, relative
     * to the base directory ({@code sonde.baseDir}, else the {@code sonde.projectDir} system property,
     * else the working directory); empty for the suite the build requests ({@code sonde.suite}).
     */
    String[] value() default {};
}
