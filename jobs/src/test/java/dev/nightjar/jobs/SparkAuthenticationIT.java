package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.jobs.cluster.ClusterSecret;
import dev.nightjar.jobs.cluster.StandaloneCluster;
import dev.nightjar.testing.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone cluster whose daemons require Spark's authentication serves a job submitted with its
 * secret, and refuses, at the same time, a client without the secret and one with a wrong secret:
 * their drivers give up without ever registering, and the master's log says why.
 */
class SparkAuthenticationIT {
  /** Spark's driver tries to register 3 times, 20 s apart, before it gives up. */
  private static final long REFUSED_CLIENT_MINUTES = 3;

  @TempDir Path work;

  @Test
  void onlyClientsHoldingTheSecretAreServed() throws Exception {
    ClusterSecret secret = ClusterSecret.generate(Files.createDirectories(work.resolve("secret")));
    ClusterSecret wrong =
        ClusterSecret.generate(Files.createDirectories(work.resolve("wrong-secret")));
    Path sparkHome = Path.of(System.getProperty("nightjar.sparkHome"));
    try (StandaloneCluster cluster =
        StandaloneCluster.startSecured(
            sparkHome, Files.createDirectories(work.resolve("cluster")), 1, 1, "2g", secret)) {
      SubmittedJob withSecret = prepare(cluster, "with-secret", true, secret.submitEnvironment());
      SubmittedJob withoutSecret = prepare(cluster, "without-secret", false, Map.of());
      SubmittedJob withWrongSecret =
          prepare(cluster, "wrong-secret", true, wrong.submitEnvironment());

      assertThat(withSecret.await(5))
          .as("the job with the secret; log:%n%s", withSecret.log())
          .isZero();
      assertThat(withoutSecret.await(REFUSED_CLIENT_MINUTES)).as(withoutSecret.log()).isNotZero();
      assertThat(withoutSecret.log())
          .contains("Unknown challenge message", "All masters are unresponsive! Giving up.");
      assertThat(withWrongSecret.await(REFUSED_CLIENT_MINUTES))
          .as(withWrongSecret.log())
          .isNotZero();
      assertThat(withWrongSecret.log())
          .contains("Failed to connect to master", "All masters are unresponsive! Giving up.");

      assertThat(cluster.applicationNames())
          .as("applications the master registered")
          .containsExactly("with-secret");
      assertThat(cluster.masterLog())
          .content()
          .contains(
              "Authorization successful for client", // the worker and the job with the secret
              "Unexpected challenge message from client", // without the secret
              "Authentication failed for client"); // a wrong secret
    }
  }

  private SubmittedJob prepare(
      StandaloneCluster cluster, String name, boolean authenticate, Map<String, String> environment)
      throws Exception {
    List<String> args = new ArrayList<>();
    if (authenticate) {
      args.addAll(List.of("--profile", "standalone"));
    }
    args.addAll(
        List.of(
            "--master",
            cluster.masterUrl(),
            "--executor-memory",
            "1g",
            "--executor-offheap",
            "1g",
            "--driver-memory",
            "1g",
            "--spark-conf",
            "spark.app.name=" + name,
            "--spark-conf",
            "spark.eventLog.enabled=false",
            "prepare",
            "--output",
            work.resolve("output-" + name).toString(),
            "--data",
            FashionMnist.dir(),
            "--date",
            "2026-02-01",
            "--conf",
            "data.train-limit=500",
            "--conf",
            "data.test-limit=100",
            "--conf",
            "prepare.partitions=2"));
    return SubmittedJob.start(work.resolve(name + ".log"), args, environment);
  }
}
