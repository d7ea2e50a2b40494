package dev.nightjar.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS in this JVM (a NameNode and DataNodes on 127.0.0.1), for tests of Hadoop URIs. */
public final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static MiniHdfs start(Path baseDir, int dataNodes) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
    conf.setInt("dfs.replication", Math.min(dataNodes, 2));
    return new MiniHdfs(new MiniDFSCluster.Builder(conf).numDataNodes(dataNodes).build());
  }

  /** The file system's root URI, e.g. {@code hdfs://127.0.0.1:40213}. */
  public String uri() {
    return cluster.getURI().toString();
  }

  public FileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
