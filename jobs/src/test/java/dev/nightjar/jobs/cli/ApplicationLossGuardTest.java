package dev.nightjar.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The guard acts when a real local application ends under a job, and never after the job closed it.
 */
class ApplicationLossGuardTest {
  private static final Duration GRACE = Duration.ofMillis(200);

  private static SparkSession newSession() {
    return SparkSession.builder()
        .master("local[1]")
        .appName("guard-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  @Test
  void actsWhenTheApplicationEndsUnderTheJob() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    SparkSession spark = newSession();
    ApplicationLossGuard guard =
        ApplicationLossGuard.install(spark.sparkContext(), GRACE, lost::countDown);
    spark.stop();
    assertThat(lost.await(30, TimeUnit.SECONDS)).as("the guard acted").isTrue();
    guard.close();
  }

  @Test
  void aContextAlreadyStoppedCountsAsLost() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    SparkSession spark = newSession();
    spark.stop();
    try (ApplicationLossGuard guard =
        ApplicationLossGuard.install(spark.sparkContext(), GRACE, lost::countDown)) {
      assertThat(lost.await(30, TimeUnit.SECONDS)).as("the guard acted").isTrue();
    }
  }

  @Test
  void neverActsOnceTheJobClosedIt() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    SparkSession spark = newSession();
    ApplicationLossGuard.install(spark.sparkContext(), GRACE, lost::countDown).close();
    spark.stop();
    assertThat(lost.await(GRACE.toMillis() * 5, TimeUnit.MILLISECONDS))
        .as("the guard acted")
        .isFalse();
  }

  @Test
  void aJobThatStopsWithinTheGraceIsLeftAlone() throws Exception {
    CountDownLatch lost = new CountDownLatch(1);
    SparkSession spark = newSession();
    ApplicationLossGuard guard =
        ApplicationLossGuard.install(spark.sparkContext(), Duration.ofSeconds(2), lost::countDown);
    spark.stop();
    guard.close();
    assertThat(lost.await(4, TimeUnit.SECONDS)).as("the guard acted").isFalse();
  }
}
