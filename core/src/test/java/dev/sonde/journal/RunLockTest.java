package dev.sonde.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per run folder: a second holder, in this JVM or another process, is refused in one
 * line naming the holder's pid; a killed holder leaves no lock behind; a lock file that is not a
 * plain file is never followed or opened.
 */
@Tag("hostile")
class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void a_second_holder_in_the_same_jvm_is_refused_until_the_first_lets_go() throws Exception {
        long me = ProcessHandle.current().pid();
        try (RunLock first = RunLock.acquire(dir, "--resume " + dir)) {
            assertThatThrownBy(() -> RunLock.acquire(dir, "--resume " + dir)).isInstanceOfSatisfying(RunLock.Held.class,
                    held -> {
                        assertThat(held.pid()).isEqualTo(me);
                        assertThat(held.getMessage()).isEqualTo("--resume " + dir + ": another sonde process (pid " + me
                                + ") is using this folder; wait for it to end, or stop it");
                    });
        }
        try (RunLock again = RunLock.acquire(dir, "sonde report " + dir)) {
            assertThat(Files.readString(dir.resolve(RunLock.FILE)).strip()).isEqualTo(Long.toString(me));
        }
        assertThat(dir.resolve(RunLock.FILE)).as("the file stays: only the OS lock ends").isRegularFile();
    }

    @Test
    void another_process_holding_the_folder_is_named_and_its_death_frees_the_folder() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("held");
            assertThatThrownBy(() -> RunLock.acquire(dir, "--resume " + dir)).isInstanceOfSatisfying(RunLock.Held.class,
                    held -> {
                        assertThat(held.pid()).isEqualTo(holder.pid());
                        assertThat(held.getMessage()).contains("another sonde process (pid " + holder.pid() + ")")
                                .doesNotContain("\n");
                    });
        } finally {
            holder.destroyForcibly(); // SIGKILL: nothing of the holder runs after this
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (RunLock after = RunLock.acquire(dir, "--resume " + dir)) {
            assertThat(Files.readString(dir.resolve(RunLock.FILE)).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void a_holder_whose_lock_file_holds_no_pid_is_still_refused_without_reading_past_the_limit() throws Exception {
        Path file = dir.resolve(RunLock.FILE);
        Files.writeString(file, "\u001b[2J not a pid " + "9".repeat(100_000));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            assertThatThrownBy(() -> RunLock.acquire(dir, "--out " + dir)).isInstanceOfSatisfying(RunLock.Held.class,
                    e -> {
                        assertThat(e.pid()).isEqualTo(-1);
                        assertThat(e.getMessage()).isEqualTo("--out " + dir
                                + ": another sonde process is using this folder; wait for it to end, or stop it");
                    });
        }
    }

    @Test
    void a_lock_file_that_is_a_link_or_a_folder_is_refused_and_never_followed() throws Exception {
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.createSymbolicLink(run.resolve(RunLock.FILE), target);
        assertThatThrownBy(() -> RunLock.acquire(run, "--resume " + run)).isInstanceOf(java.io.IOException.class)
                .hasMessage("--resume " + run + ": " + run.resolve(RunLock.FILE)
                        + " is not a regular file; remove it if no sonde process is using this folder");
        assertThat(Files.readString(target)).isEqualTo("keep me");

        Path other = Files.createDirectory(dir.resolve("other"));
        Files.createDirectory(other.resolve(RunLock.FILE));
        assertThatThrownBy(() -> RunLock.acquire(other, "sonde report " + other)).isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith("sonde report " + other + ": ").hasMessageContaining("is not a regular file");
    }

    @Test
    void a_folder_that_does_not_exist_is_one_line_naming_the_command() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> RunLock.acquire(missing, "--resume " + missing)).isInstanceOf(java.io.IOException.class)
                .hasMessage("--resume " + missing + ": " + missing + " is not a folder");
    }

    /** Holds a folder's lock until killed: {@code java … RunLockTest$Holder DIR}. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunLock lock = RunLock.acquire(Path.of(args[0]), "holder");
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            lock.close();
        }
    }
}
