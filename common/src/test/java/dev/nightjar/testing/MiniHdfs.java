package dev.nightjar.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;
import org.apache.hadoop.hdfs.protocol.LocatedBlock;
import org.apache.hadoop.hdfs.protocol.LocatedBlocks;
import org.apache.hadoop.hdfs.server.datanode.DataNodeFaultInjector;

/**
 * A real HDFS in this JVM (a NameNode and DataNodes on 127.0.0.1), for tests of Hadoop URIs.
 *
 * <p>Client settings given at start (block size, pipeline recovery) reach Spark's tasks too: the
 * client created here is cached by Hadoop per URI and user, and every later {@code getFileSystem}
 * of this JVM for the same user gets it.
 */
public final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static MiniHdfs start(Path baseDir, int dataNodes) throws IOException {
    return start(baseDir, dataNodes, conf -> { });
  }

  /** Starts a cluster with {@code settings} applied to its configuration, servers' and client's. */
  public static MiniHdfs start(Path baseDir, int dataNodes, Consumer<Configuration> settings) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
    conf.setInt("dfs.replication", Math.min(dataNodes, 2));
    settings.accept(conf);
    MiniHdfs hdfs = new MiniHdfs(new MiniDFSCluster.Builder(conf).numDataNodes(dataNodes).build());
    hdfs.fileSystem();
    return hdfs;
  }

  /** The file system's root URI, e.g. {@code hdfs://127.0.0.1:40213}. */
  public String uri() {
    return cluster.getURI().toString();
  }

  public DistributedFileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  /** A fully qualified path on this file system, e.g. {@code hdfs://127.0.0.1:40213/nightjar}. */
  public org.apache.hadoop.fs.Path path(String absolute) {
    return new org.apache.hadoop.fs.Path(uri() + absolute);
  }

  /**
   * Makes every DataNode of this JVM hold each acknowledgement of a packet back for {@code delay},
   * so that a block stays a while in its write pipeline; undone by {@link #close}.
   */
  public void slowAcknowledgements(Duration delay) {
    DataNodeFaultInjector.set(new DataNodeFaultInjector() {
      @Override
      public void delaySendingAckToUpstream(String upstreamAddress) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
  }

  /**
   * Stops, as a crash would, a DataNode of the pipeline writing the last block of {@code openFile},
   * or the first DataNode when no block of it is being written (not allocated yet, or the file is
   * gone). The NameNode still counts the node as alive until its heartbeats are missed, so clients
   * find out by failing to reach it.
   */
  public StoppedDataNode stopDataNodeWriting(org.apache.hadoop.fs.Path openFile) throws IOException {
    List<String> pipeline = pipelineOf(openFile);
    String node = pipeline.isEmpty() ? cluster.getDataNodes().get(0).getDatanodeId().getXferAddr() : pipeline.get(0);
    MiniDFSCluster.DataNodeProperties stopped = cluster.stopDataNode(node);
    if (stopped == null) {
      throw new IllegalStateException("no running DataNode at " + node);
    }
    return new StoppedDataNode(node, !pipeline.isEmpty() && hasOpenPipeline(openFile), openFile, stopped);
  }

  /** Whether a block of {@code file} is being written: the file's last block is open and has a pipeline. */
  public boolean hasOpenPipeline(org.apache.hadoop.fs.Path file) {
    try {
      LocatedBlocks blocks = fileSystem().getClient().getLocatedBlocks(file.toUri().getPath(), 0);
      return blocks.isUnderConstruction() && !blocks.isLastBlockComplete() && !pipelineOf(file).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** The DataNodes ({@code 127.0.0.1:port}) writing the last block of a file. */
  private List<String> pipelineOf(org.apache.hadoop.fs.Path file) throws IOException {
    try {
      LocatedBlock last = fileSystem().getClient().getLocatedBlocks(file.toUri().getPath(), 0).getLastLocatedBlock();
      return last == null ? List.of() : Arrays.stream(last.getLocations()).map(DatanodeInfo::getXferAddr).toList();
    } catch (FileNotFoundException e) {
      return List.of();
    }
  }

  /** Starts a stopped DataNode again with its blocks, and waits until the NameNode has it back. */
  public void restart(StoppedDataNode dataNode) throws IOException {
    cluster.restartDataNode(dataNode.properties(), true);
    cluster.waitActive();
  }

  /** Limits the bytes (replicas included) stored below {@code dir}; a write beyond it fails with DSQuotaExceededException. */
  public void setSpaceQuota(org.apache.hadoop.fs.Path dir, long bytes) throws IOException {
    fileSystem().setQuota(dir, HdfsConstants.QUOTA_DONT_SET, bytes);
  }

  public void clearSpaceQuota(org.apache.hadoop.fs.Path dir) throws IOException {
    fileSystem().setQuota(dir, HdfsConstants.QUOTA_DONT_SET, HdfsConstants.QUOTA_RESET);
  }

  @Override
  public void close() {
    cluster.shutdown(true);
    DataNodeFaultInjector.set(new DataNodeFaultInjector());
  }

  /**
   * A DataNode that {@link #stopDataNodeWriting} shut down, to {@link #restart} later.
   *
   * @param midBlock whether it was in the pipeline of a block of {@code file} that was still being
   *     written when it had stopped: the writer had to rebuild that pipeline
   */
  public record StoppedDataNode(String transferAddress, boolean midBlock, org.apache.hadoop.fs.Path file,
      MiniDFSCluster.DataNodeProperties properties) {
    @Override
    public String toString() {
      return transferAddress + (midBlock ? " in the middle of a block of " : " while writing ") + file;
    }
  }
}
