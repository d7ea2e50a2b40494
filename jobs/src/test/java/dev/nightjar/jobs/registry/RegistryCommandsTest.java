package dev.nightjar.jobs.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.jobs.cli.ExitCodes;
import dev.nightjar.jobs.cli.JobRunner;
import dev.nightjar.registry.ModelRegistry;
import dev.nightjar.testing.CommittedNights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's commands as the job jar runs them: what they print and their exit codes. */
class RegistryCommandsTest {
  @TempDir Path root;

  private record Outcome(int exitCode, String out, String err) {}

  private Outcome run(Callable<Integer> command, String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = JobRunner.commandLine(command).setErr(new PrintWriter(err, true)).execute(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  private String[] withRoot(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--output";
    all[args.length + 1] = root.toUri().toString();
    return all;
  }

  @Test
  void promoteRollbackAndListWithTheirExitCodes() throws Exception {
    ModelRegistry registry = new ModelRegistry(new Configuration(), root.toUri().toString());
    String first =
        registry
            .registerServing(CommittedNights.write(root, "2026-05-01", "may1", 0.9), "may1")
            .version();
    String second =
        registry
            .registerServing(CommittedNights.write(root, "2026-05-02", "may2", 0.899), "may2")
            .version();
    String lossy =
        registry
            .registerServing(CommittedNights.write(root, "2026-05-03", "may3", 0.85), "may3")
            .version();

    Outcome promoted =
        run(new PromoteCommand(), withRoot(first, "--reason", "first review", "--by", "ana"));
    assertThat(promoted.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(promoted.out()).contains("approved #1: promote (none) -> " + first + " by ana");
    assertThat(run(new PromoteCommand(), withRoot(second, "--reason", "newer")).exitCode())
        .isEqualTo(ExitCodes.OK);

    Outcome refused = run(new PromoteCommand(), withRoot(lossy, "--reason", "fastest"));
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err()).contains("refusing to promote " + lossy).hasLineCount(1);
    Outcome unknown = run(new PromoteCommand(), withRoot("no-such-version", "--reason", "why"));
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("no-such-version").contains(first);
    assertThat(run(new PromoteCommand(), withRoot(first)).exitCode()).isEqualTo(ExitCodes.USAGE);

    Outcome rolledBack = run(new RollbackCommand(), withRoot("--reason", "regression"));
    assertThat(rolledBack.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(rolledBack.out()).contains("rollback " + second + " -> " + first);
    assertThat(registry.alias("approved")).contains(first);

    Outcome listed = run(new ModelsCommand(), withRoot("--history"));
    assertThat(listed.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(listed.out())
        .contains("3 models registered.")
        .containsPattern(first + " +serving .* approved")
        .contains("approved #3: rollback");
  }
}
