package dev.nightjar.ml;

import dev.nightjar.config.ConfigLoader;
import dev.nightjar.config.EngineKind;
import dev.nightjar.config.TrainConfig;
import dev.nightjar.data.PreparedData;
import dev.nightjar.io.CommitFence;
import dev.nightjar.io.OutputLayout;
import dev.nightjar.io.PublishedOutputs;
import dev.nightjar.stage.RunContext;
import dev.nightjar.train.TrainAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a Nightjar image classifier on a DataFrame of labelled images, as a Spark ML {@code
 * Estimator}: {@link #fit} runs the train stage (a zoo network, DL4J's parameter averaging over the
 * executors) and returns a {@link NightjarModel}.
 *
 * <pre>{@code
 * NightjarModel model = new NightjarClassifier().setInputCol("content").setLabelCol("label")
 *     .setArchitecture("fashion-cnn").setEpochs(8).setWorkDir("hdfs:///tmp/nightjar").fit(images);
 * }</pre>
 *
 * <p>The input column takes what {@link NightjarModel} takes (encoded images, Spark image structs,
 * raw pixels), decoded to {@code imageShape}; the label column holds class indexes from 0 (any
 * numeric type, whole values). Rows whose image cannot be used are left out and counted in the log;
 * a label that is not a class index fails the fit. Each row goes by a seeded draw to the validation
 * split (which picks the best epoch), the test split (whose accuracy the model records) or
 * training.
 *
 * <p>The rows are written as the train stage's minibatch shards under {@code workDir} (a folder the
 * executors share: HDFS or S3 on a cluster), in a folder of their own per fit; the shards and
 * checkpoints are deleted once trained, the model and the train stage's metrics are kept there. The
 * model is exported to ONNX and served on ONNX Runtime ({@code engine = onnxruntime}, the default)
 * or served on DL4J as trained ({@code engine = dl4j}).
 */
public final class NightjarClassifier extends Estimator<NightjarModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final DateTimeFormatter FIT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> binaryFormat;
  private final Param<String> labelCol;
  private final IntArrayParam imageShape;
  private final IntParam numClasses;
  private final Param<String> architecture;
  private final IntParam epochs;
  private final DoubleParam learningRate;
  private final IntParam batchSize;
  private final IntParam workers;
  private final LongParam seed;
  private final DoubleParam validationFraction;
  private final DoubleParam testFraction;
  private final Param<String> engine;
  private final Param<String> workDir;

  public NightjarClassifier() {
    this(Identifiable.randomUID("nightjar"));
  }

  /** Spark's readers make stages by uid. */
  public NightjarClassifier(String uid) {
    this.uid = uid;
    inputCol = new Param<>(this, "inputCol", "the input column: " + InputColumn.EXPECTED);
    binaryFormat =
        new Param<>(
            this,
            "binaryFormat",
            "what a binary input column holds: encoded images "
                + "(encoded) or raw 8-bit pixels, channel-major (pixels)",
            ParamValidators.inArray(List.of(InputColumn.ENCODED, InputColumn.PIXELS)));
    labelCol = new Param<>(this, "labelCol", "the class index of each row, from 0");
    imageShape =
        new IntArrayParam(
            this,
            "imageShape",
            "what the network reads, {channels, height, width}; "
                + "images are decoded and resized to it",
            new ValidShape());
    numClasses =
        new IntParam(
            this,
            "numClasses",
            "how many classes; 0 counts them from the largest label",
            ParamValidators.gtEq(0));
    architecture =
        new Param<>(
            this, "architecture", "the zoo network: fashion-cnn, lenet, separable-cnn or tiny-cnn");
    epochs =
        new IntParam(this, "epochs", "passes over the training split", ParamValidators.gtEq(1));
    learningRate =
        new DoubleParam(
            this, "learningRate", "the first epoch's learning rate", ParamValidators.gt(0));
    batchSize =
        new IntParam(
            this, "batchSize", "examples per minibatch of each worker", ParamValidators.gtEq(1));
    workers =
        new IntParam(
            this,
            "workers",
            "parallel training workers; 0 is the cluster's default parallelism",
            ParamValidators.gtEq(0));
    seed = new LongParam(this, "seed", "seeds the network's weights and the split of the rows");
    validationFraction =
        new DoubleParam(
            this,
            "validationFraction",
            "the share of rows held out to pick the best " + "epoch",
            ParamValidators.inRange(0, 0.5, false, false));
    testFraction =
        new DoubleParam(
            this,
            "testFraction",
            "the share of rows held out to measure the model",
            ParamValidators.inRange(0, 0.5, false, false));
    engine =
        new Param<>(
            this,
            "engine",
            "what serves the fitted model: onnxruntime (an ONNX export) or dl4j",
            ParamValidators.inArray(
                List.of(EngineKind.ONNXRUNTIME.label(), EngineKind.DL4J.label())));
    workDir =
        new Param<>(
            this,
            "workDir",
            "where fits write their shards, checkpoints and models: a folder "
                + "every executor reads");
    setDefault(inputCol, "image");
    setDefault(binaryFormat, InputColumn.ENCODED);
    setDefault(labelCol, "label");
    setDefault(imageShape, new int[] {1, 28, 28});
    setDefault(numClasses, 0);
    setDefault(architecture, "fashion-cnn");
    setDefault(epochs, 8);
    setDefault(learningRate, 0.001);
    setDefault(batchSize, 100);
    setDefault(workers, 0);
    setDefault(seed, 42L);
    setDefault(validationFraction, 0.1);
    setDefault(testFraction, 0.1);
    setDefault(engine, EngineKind.ONNXRUNTIME.label());
    setDefault(workDir, "/tmp/nightjar-classifier");
  }

  /** The reader Spark's {@code Pipeline} loads a saved classifier with. */
  public static MLReader<NightjarClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static NightjarClassifier load(String path) {
    return read().load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    InputColumn.pixelSource(
        schema,
        getInputCol(),
        getBinaryFormat(),
        getImageShape(),
        NightjarModel.DEFAULT_MAX_IMAGE_PIXELS);
    if (!Arrays.asList(schema.fieldNames()).contains(getLabelCol())
        || !(schema.apply(getLabelCol()).dataType() instanceof NumericType)) {
      throw new IllegalArgumentException(
          "NightjarClassifier: label column '"
              + getLabelCol()
              + "' must be a numeric "
              + "column of class indexes among "
              + Arrays.toString(schema.fieldNames())
              + "; set it with setLabelCol");
    }
    return NightjarModel.withOutputs(
        schema,
        NightjarModel.PREDICTION_COL,
        NightjarModel.PROBABILITY_COL,
        null,
        NightjarModel.ERROR_COL);
  }

  @Override
  public NightjarModel fit(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    transformSchema(schema);
    SparkSession spark = dataset.sparkSession();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    int classes = getNumClasses() > 0 ? getNumClasses() : classesIn(dataset);
    String fitId = uid + "-" + LocalDateTime.now().format(FIT_TIME);
    OutputLayout layout =
        new OutputLayout(
            new Path(ModelFiles.qualified(conf, getWorkDir()), fitId).toString(), LocalDate.now());

    LabelledShards.Plan plan =
        new LabelledShards.Plan(
            schema.fieldIndex(getInputCol()),
            InputColumn.pixelSource(
                schema,
                getInputCol(),
                getBinaryFormat(),
                getImageShape(),
                NightjarModel.DEFAULT_MAX_IMAGE_PIXELS),
            schema.fieldIndex(getLabelCol()),
            getImageShape(),
            classes,
            getBatchSize(),
            getValidationFraction(),
            getTestFraction(),
            getSeed());
    PreparedData prepared = LabelledShards.write(dataset.toDF(), plan, layout.prepared(), fitId);
    new TrainAction(
            spark,
            new RunContext(layout, fitId, CommitFence.NONE),
            trainConfig(),
            prepared,
            settings())
        .execute();
    // The fit's own folders, not only the run date's partition of them.
    delete(conf, layout.prepared().getParent());
    delete(conf, layout.checkpoints().getParent());

    Path models = PublishedOutputs.resolve(conf, layout, layout.models());
    ModelFile model =
        getEngine().equals(EngineKind.DL4J.label())
            ? ModelFiles.fromTrained(conf, models.toString())
            : OnnxExport.export(conf, models, new Path(models, OnnxExport.FILE));
    NightjarModel fitted =
        new NightjarModel(uid, model).setInputCol(getInputCol()).setBinaryFormat(getBinaryFormat());
    return fitted.setParent(this);
  }

  @Override
  public NightjarClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The train stage's settings: Nightjar's defaults, with this classifier's params. */
  private TrainConfig trainConfig() {
    return ConfigLoader.fromOverrides(
            "train.model=" + getArchitecture(),
            "train.epochs=" + getEpochs(),
            "train.learning-rate=" + getLearningRate(),
            "train.batch-size-per-worker=" + getBatchSize(),
            "train.workers=" + getWorkers(),
            "train.seed=" + getSeed(),
            "train.collect-stats=false")
        .train();
  }

  /** The params, recorded with the trained model as the train stage records its configuration. */
  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (ParamPair<?> pair :
        scala.collection.JavaConverters.seqAsJavaList(extractParamMap().toSeq())) {
      Object value = pair.value();
      settings.put(
          pair.param().name(),
          value instanceof int[] ints ? Arrays.toString(ints) : String.valueOf(value));
    }
    return settings;
  }

  private int classesIn(Dataset<?> dataset) {
    Row max = dataset.agg(functions.max(functions.col(getLabelCol()))).first();
    if (max.isNullAt(0)) {
      throw new IllegalArgumentException("NightjarClassifier: no labelled row to train on");
    }
    return (int) Math.floor(((Number) max.get(0)).doubleValue()) + 1;
  }

  /**
   * Three dimensions, each at least 1; a class rather than a lambda, so that the param serializes.
   */
  private static final class ValidShape extends scala.runtime.AbstractFunction1<int[], Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(int[] shape) {
      return shape.length == 3 && shape[0] >= 1 && shape[1] >= 1 && shape[2] >= 1;
    }
  }

  private static void delete(Configuration conf, Path dir) {
    try {
      dir.getFileSystem(conf).delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  // The params, with Spark ML's accessors: the param, its getter, its setter.

  public Param<String> inputCol() {
    return inputCol;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public NightjarClassifier setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public Param<String> binaryFormat() {
    return binaryFormat;
  }

  public String getBinaryFormat() {
    return getOrDefault(binaryFormat);
  }

  public NightjarClassifier setBinaryFormat(String value) {
    set(binaryFormat, value);
    return this;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public String getLabelCol() {
    return getOrDefault(labelCol);
  }

  public NightjarClassifier setLabelCol(String value) {
    set(labelCol, value);
    return this;
  }

  public IntArrayParam imageShape() {
    return imageShape;
  }

  public int[] getImageShape() {
    return getOrDefault(imageShape).clone();
  }

  public NightjarClassifier setImageShape(int channels, int height, int width) {
    set(imageShape, new int[] {channels, height, width});
    return this;
  }

  public IntParam numClasses() {
    return numClasses;
  }

  public int getNumClasses() {
    return (Integer) getOrDefault(numClasses);
  }

  public NightjarClassifier setNumClasses(int value) {
    set(numClasses, value);
    return this;
  }

  public Param<String> architecture() {
    return architecture;
  }

  public String getArchitecture() {
    return getOrDefault(architecture);
  }

  public NightjarClassifier setArchitecture(String value) {
    set(architecture, value);
    return this;
  }

  public IntParam epochs() {
    return epochs;
  }

  public int getEpochs() {
    return (Integer) getOrDefault(epochs);
  }

  public NightjarClassifier setEpochs(int value) {
    set(epochs, value);
    return this;
  }

  public DoubleParam learningRate() {
    return learningRate;
  }

  public double getLearningRate() {
    return (Double) getOrDefault(learningRate);
  }

  public NightjarClassifier setLearningRate(double value) {
    set(learningRate, value);
    return this;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public NightjarClassifier setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  public IntParam workers() {
    return workers;
  }

  public int getWorkers() {
    return (Integer) getOrDefault(workers);
  }

  public NightjarClassifier setWorkers(int value) {
    set(workers, value);
    return this;
  }

  public LongParam seed() {
    return seed;
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  public NightjarClassifier setSeed(long value) {
    set(seed, value);
    return this;
  }

  public DoubleParam validationFraction() {
    return validationFraction;
  }

  public double getValidationFraction() {
    return (Double) getOrDefault(validationFraction);
  }

  public NightjarClassifier setValidationFraction(double value) {
    set(validationFraction, value);
    return this;
  }

  public DoubleParam testFraction() {
    return testFraction;
  }

  public double getTestFraction() {
    return (Double) getOrDefault(testFraction);
  }

  public NightjarClassifier setTestFraction(double value) {
    set(testFraction, value);
    return this;
  }

  public Param<String> engine() {
    return engine;
  }

  public String getEngine() {
    return getOrDefault(engine);
  }

  public NightjarClassifier setEngine(String value) {
    set(engine, value);
    return this;
  }

  public Param<String> workDir() {
    return workDir;
  }

  public String getWorkDir() {
    return getOrDefault(workDir);
  }

  public NightjarClassifier setWorkDir(String value) {
    set(workDir, value);
    return this;
  }
}
