package dev.nightjar.jobs.cluster;

import dev.nightjar.testing.MiniHdfs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * Hadoop's own mini clusters in this JVM, on 127.0.0.1, as Spark's YarnClusterSuite uses them: a
 * ResourceManager and a NodeManager ({@link MiniYARNCluster}) over an HDFS ({@link MiniHdfs}) that
 * is the default file system. The NodeManager launches every container (the ApplicationMaster, the
 * executors, the driver in cluster mode) as a process of its own, from a launch script, with its
 * own working folder and logs. Clients find both through the configuration folder it writes ({@link
 * #confDir()}, for {@code HADOOP_CONF_DIR} and {@code YARN_CONF_DIR}).
 */
public final class MiniYarn implements AutoCloseable {
  private final MiniHdfs hdfs;
  private final MiniYARNCluster yarn;
  private final Path confDir;
  private final YarnClient client;

  private MiniYarn(MiniHdfs hdfs, MiniYARNCluster yarn, Path confDir, YarnClient client) {
    this.hdfs = hdfs;
    this.yarn = yarn;
    this.confDir = confDir;
    this.client = client;
  }

  /**
   * Starts HDFS with one DataNode and YARN with one NodeManager offering {@code nodeMemoryMb} of
   * memory, then writes their configuration to {@code workDir/conf}.
   */
  public static MiniYarn start(Path workDir, int nodeMemoryMb)
      throws IOException, InterruptedException {
    MiniHdfs hdfs = MiniHdfs.start(Files.createDirectories(workDir.resolve("hdfs")), 1);
    MiniYARNCluster yarn = null;
    try {
      // MiniYARNCluster keeps its folders (the containers' working folders and logs) under
      // test.build.data.
      System.setProperty(
          "test.build.data", Files.createDirectories(workDir.resolve("yarn")).toString());
      YarnConfiguration conf = new YarnConfiguration();
      conf.set("fs.defaultFS", hdfs.uri());
      for (String bindHost :
          List.of(
              "yarn.resourcemanager.bind-host",
              "yarn.nodemanager.bind-host",
              "yarn.timeline-service.bind-host",
              "yarn.web-proxy.bind-host")) {
        conf.set(bindHost, "127.0.0.1");
      }
      conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
      conf.setInt("yarn.nodemanager.resource.memory-mb", nodeMemoryMb);
      // MiniYARNCluster gives its NodeManagers this instead (4 GB unless set).
      conf.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", nodeMemoryMb);
      conf.setInt("yarn.scheduler.maximum-allocation-mb", nodeMemoryMb);
      conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
      conf.setInt("yarn.nodemanager.resource.cpu-vcores", 8);
      // Java reserves far more address space than it uses: only the physical memory check is real.
      conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
      conf.setBoolean("yarn.nodemanager.pmem-check-enabled", true);
      // Each container's log folder also gets the launch script the NodeManager ran.
      conf.setBoolean("yarn.nodemanager.log-container-debug-info.enabled", true);
      conf.set(
          "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
      // The minicluster jar lacks capacity-scheduler.xml: one queue, "default", as Spark's own
      // suite sets it.
      conf.set("yarn.scheduler.capacity.root.queues", "default");
      conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
      conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
      conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
      conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
      conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
      conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
      conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
      yarn = new MiniYARNCluster(MiniYarn.class.getSimpleName(), 1, 1, 1);
      yarn.init(conf);
      yarn.start();
      Configuration started = yarn.getConfig();
      // start() can return before the ResourceManager has its port in the configuration.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (started.get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the ResourceManager did not get its address");
        }
        Thread.sleep(100);
      }
      Path confDir = Files.createDirectories(workDir.resolve("conf"));
      for (String file : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
        try (OutputStream out = Files.newOutputStream(confDir.resolve(file))) {
          started.writeXml(out);
        }
      }
      YarnClient client = YarnClient.createYarnClient();
      client.init(new YarnConfiguration(started));
      client.start();
      return new MiniYarn(hdfs, yarn, confDir, client);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (yarn != null) {
        yarn.stop();
      }
      hdfs.close();
      throw e;
    }
  }

  /** The folder holding core-site.xml, hdfs-site.xml and yarn-site.xml of both clusters. */
  public Path confDir() {
    return confDir;
  }

  public MiniHdfs hdfs() {
    return hdfs;
  }

  public FileSystem fileSystem() throws IOException {
    return hdfs.fileSystem();
  }

  /** Every application the ResourceManager knows, in order of submission. */
  public List<ApplicationReport> applications() throws IOException, YarnException {
    List<ApplicationReport> reports =
        new ArrayList<>(client.getApplications(EnumSet.allOf(YarnApplicationState.class)));
    reports.sort((a, b) -> a.getApplicationId().compareTo(b.getApplicationId()));
    return reports;
  }

  /**
   * The log folders of an application's containers on the NodeManager, one per container (its
   * {@code stderr}, {@code stdout}, and the launch script the NodeManager ran).
   */
  public List<Path> containerLogDirs(String applicationId) throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (String logDir :
        yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
      Path app = Path.of(logDir.replaceFirst("^file:", "")).resolve(applicationId);
      if (Files.isDirectory(app)) {
        try (Stream<Path> containers = Files.list(app)) {
          containers.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
      }
    }
    return dirs;
  }

  @Override
  public void close() {
    try {
      client.stop();
      yarn.stop();
    } finally {
      hdfs.close();
    }
  }
}
