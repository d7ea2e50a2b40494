package dev.nightjar.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern BLOCK_ID = Pattern.compile("blk_(\\d+)_");
  private volatile CountDownLatch acknowledgements = new CountDownLatch(0);
  private final Set<Long> heldBlocks = ConcurrentHashMap.newKeySet();

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static MiniHdfs start(Path baseDir, int dataNodes) throws IOException {
    return start(baseDir, dataNodes, conf -> {});
  }

  /** Starts a cluster with {@code settings} applied to its configuration, servers' and client's. */
  public static MiniHdfs start(Path baseDir, int dataNodes, Consumer<Configuration> settings)
      throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
    conf.setInt("dfs.replication", Math.min(dataNodes, 2));
    settings.accept(conf);
    MiniHdfs hdfs = new MiniHdfs(new MiniDFSCluster.Builder(conf).numDataNodes(dataNodes).build());
    hdfs.fileSystem(); // the cached client, with the client settings
    return hdfs;
  }

  /** The file system's root URI, e.g. {@code hdfs://localhost:40213}. */
  public String uri() {
    return cluster.getURI().toString();
  }

  public DistributedFileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  /** A fully qualified path on this file system, e.g. {@code hdfs://localhost:40213/nightjar}. */
  public org.apache.hadoop.fs.Path path(String absolute) {
    return new org.apache.hadoop.fs.Path(uri() + absolute);
  }

  /**
   * Makes every DataNode of this JVM hold the acknowledgements of the packets it receives until
   * {@link #releaseAcknowledgements} (30 s at most): the blocks written meanwhile keep their data
   * in flight, so a node stopped then dies in the middle of a block and its writer has to rebuild
   * the pipeline.
   */
  public void holdAcknowledgements() {
    CountDownLatch release = new CountDownLatch(1);
    acknowledgements = release;
    heldBlocks.clear();
    DataNodeFaultInjector.set(
        new DataNodeFaultInjector() {
          @Override
          public void delaySendingAckToUpstream(String upstreamAddress) {
            // A DataNode names each responder thread after its block: "PacketResponder:
            // BP-...:blk_ID_GS, type=...".
            Matcher block = BLOCK_ID.matcher(Thread.currentThread().getName());
            if (block.find()) {
              heldBlocks.add(Long.parseLong(block.group(1)));
            }
            try {
              if (!release.await(30, TimeUnit.SECONDS)) {
                release.countDown();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
  }

  /** Lets the DataNodes acknowledge packets again. */
  public void releaseAcknowledgements() {
    DataNodeFaultInjector.set(new DataNodeFaultInjector());
    acknowledgements.countDown();
  }

  /**
   * Stops, as a crash would, a DataNode of the pipeline writing the last block of {@code openFile},
   * or the first DataNode when no block of it is being written (not allocated yet, or the file is
   * gone). The NameNode still counts the node as alive until its heartbeats are missed, so clients
   * find out by failing to reach it.
   */
  public StoppedDataNode stopDataNodeWriting(org.apache.hadoop.fs.Path openFile)
      throws IOException {
    Optional<LocatedBlock> block = lastBlock(openFile);
    List<String> pipeline =
        block
            .map(b -> Arrays.stream(b.getLocations()).map(DatanodeInfo::getXferAddr).toList())
            .orElse(List.of());
    boolean inFlight = hasPacketsInFlight(openFile);
    String node =
        pipeline.isEmpty()
            ? cluster.getDataNodes().get(0).getDatanodeId().getXferAddr()
            : pipeline.get(0);
    MiniDFSCluster.DataNodeProperties stopped = cluster.stopDataNode(node);
    if (stopped == null) {
      throw new IllegalStateException("no running DataNode at " + node);
    }
    return new StoppedDataNode(node, inFlight, openFile, stopped);
  }

  /**
   * Whether the last block of {@code file} has packets in flight, sent but held unacknowledged
   * (known only while {@link #holdAcknowledgements} is on).
   */
  public boolean hasPacketsInFlight(org.apache.hadoop.fs.Path file) {
    try {
      return acknowledgements.getCount() > 0
          && lastBlock(file).map(b -> heldBlocks.contains(b.getBlock().getBlockId())).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }

  /** The last block of an open file, with its write pipeline; empty when none is being written. */
  private Optional<LocatedBlock> lastBlock(org.apache.hadoop.fs.Path file) throws IOException {
    try {
      LocatedBlocks blocks = fileSystem().getClient().getLocatedBlocks(file.toUri().getPath(), 0);
      return blocks.isUnderConstruction() && !blocks.isLastBlockComplete()
          ? Optional.ofNullable(blocks.getLastLocatedBlock())
          : Optional.empty();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts a stopped DataNode again with its blocks, and waits until the NameNode has it back. On
   * new ports: its old ones may have been handed to another socket while it was down.
   */
  public void restart(StoppedDataNode dataNode) throws IOException {
    cluster.restartDataNode(dataNode.properties(), false);
    cluster.waitActive();
  }

  /**
   * Limits the bytes (replicas included) stored below {@code dir}; a write beyond it fails with
   * DSQuotaExceededException.
   */
  public void setSpaceQuota(org.apache.hadoop.fs.Path dir, long bytes) throws IOException {
    fileSystem().setQuota(dir, HdfsConstants.QUOTA_DONT_SET, bytes);
  }

  public void clearSpaceQuota(org.apache.hadoop.fs.Path dir) throws IOException {
    fileSystem().setQuota(dir, HdfsConstants.QUOTA_DONT_SET, HdfsConstants.QUOTA_RESET);
  }

  @Override
  public void close() {
    releaseAcknowledgements();
    cluster.shutdown(true);
  }

  /**
   * A DataNode that {@link #stopDataNodeWriting} shut down, to {@link #restart} later.
   *
   * @param midBlock whether it stopped in the pipeline of a block of {@code file} with packets in
   *     flight, so that the writer had to rebuild that pipeline and send them again
   */
  public record StoppedDataNode(
      String transferAddress,
      boolean midBlock,
      org.apache.hadoop.fs.Path file,
      MiniDFSCluster.DataNodeProperties properties) {
    @Override
    public String toString() {
      return transferAddress
          + (midBlock ? " in the middle of a block of " : " while writing ")
          + file;
    }
  }
}
