package dev.nightjar.ml;

import dev.nightjar.infer.PredictionTable;
import dev.nightjar.infer.Scorer;
import dev.nightjar.model.ModelRef;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained Nightjar image classifier as a Spark ML {@code Model}: {@link #transform} appends its
 * prediction to each row of any DataFrame, scoring as the infer stage does.
 *
 * <pre>{@code
 * NightjarModel model = NightjarModel.fromServing(spark, "hdfs:///nightjar/optimized/run_date=2026-03-01")
 *     .setInputCol("content").setTopK(3);
 * Dataset<Row> scored = model.transform(spark.read().format("binaryFile").load("hdfs:///photos"));
 * }</pre>
 *
 * <p><b>Input</b> ({@code inputCol}, read by its type): a binary column of encoded images (PNG,
 * JPEG, BMP, GIF), decoded and resized to the model's shape as the infer stage decodes image files;
 * the {@code image} struct of {@code spark.read().format("image")}; raw 8-bit pixels,
 * channel-major, as the examples table's {@code pixels} holds them (a binary column with {@code
 * binaryFormat = pixels}, or an array of numbers from 0 to 255). A missing column or one of another
 * type fails {@link #transformSchema}, before any task runs.
 *
 * <p><b>Output</b>: {@code predictionCol} (double, the class index), {@code probabilityCol} (a
 * {@code Vector} of every class's probability), with {@link #setTopK} {@code topKCol} (the most
 * probable classes, most probable first, as an array of {@code (label int, probability double)}
 * structs, like the predictions table's {@code top_k}), and {@code errorCol}: null when the row was
 * scored, else why its input could not be used (an image that does not decode, a wrong number of
 * pixels), with null prediction, probability and top classes. A bad row never fails the job.
 *
 * <p><b>Execution</b>: each executor JVM loads the model once and shares it between its tasks (the
 * infer stage's executor model cache); each task holds one batch of rows. The optimize stage's
 * serving model runs on ONNX Runtime (on the CPU, {@code threadsPerTask} threads a batch), a DL4J
 * model on DL4J.
 *
 * <p><b>Persistence</b>: {@code write().save(path)} writes the params as Spark's default writer
 * does, with a copy of the model file and its description, so the folder is all {@link #load}
 * needs; a {@code PipelineModel} holding the model saves and loads it the same way.
 */
public final class NightjarModel extends Model<NightjarModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** The prepare stage's default limit, {@code nightjar.prepare.image.max-pixels}. */
  static final long DEFAULT_MAX_IMAGE_PIXELS = 50_000_000L;

  static final String PREDICTION_COL = "prediction";
  static final String PROBABILITY_COL = "probability";
  static final String ERROR_COL = "nightjar_error";

  private final String uid;
  private final ModelFile model;
  private final Param<String> inputCol;
  private final Param<String> binaryFormat;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> topKCol;
  private final Param<String> errorCol;
  private final IntParam topK;
  private final IntParam batchSize;
  private final IntParam threadsPerTask;
  private final LongParam maxImagePixels;

  NightjarModel(String uid, ModelFile model) {
    this.uid = uid;
    this.model = model;
    inputCol = new Param<>(this, "inputCol", "the input column: " + InputColumn.EXPECTED);
    binaryFormat =
        new Param<>(
            this,
            "binaryFormat",
            "what a binary input column holds: encoded images "
                + "(encoded) or raw 8-bit pixels of the model's shape, channel-major (pixels)",
            ParamValidators.inArray(List.of(InputColumn.ENCODED, InputColumn.PIXELS)));
    predictionCol = new Param<>(this, "predictionCol", "the predicted class index (double)");
    probabilityCol = new Param<>(this, "probabilityCol", "every class's probability (vector)");
    topKCol =
        new Param<>(
            this,
            "topKCol",
            "the topK most probable classes, most probable first "
                + "(array of label, probability structs); written only when topK > 0");
    errorCol =
        new Param<>(this, "errorCol", "why a row's input could not be scored; null when it was");
    topK =
        new IntParam(
            this,
            "topK",
            "how many most probable classes topKCol lists (0: no such column)",
            ParamValidators.gtEq(0));
    batchSize =
        new IntParam(
            this,
            "batchSize",
            "images scored together; each task holds one batch",
            ParamValidators.gtEq(1));
    threadsPerTask =
        new IntParam(
            this,
            "threadsPerTask",
            "threads one batch may use on ONNX Runtime",
            ParamValidators.gtEq(1));
    maxImagePixels =
        new LongParam(
            this,
            "maxImagePixels",
            "encoded images declaring more pixels than this "
                + "are not decoded (decompression bombs)",
            ParamValidators.gtEq(1));
    setDefault(inputCol, "image");
    setDefault(binaryFormat, InputColumn.ENCODED);
    setDefault(predictionCol, PREDICTION_COL);
    setDefault(probabilityCol, PROBABILITY_COL);
    setDefault(topKCol, "top_k");
    setDefault(errorCol, ERROR_COL);
    setDefault(topK, 0);
    setDefault(batchSize, 256);
    setDefault(threadsPerTask, 1);
    setDefault(maxImagePixels, DEFAULT_MAX_IMAGE_PIXELS);
  }

  /**
   * The model the optimize stage chose to serve for one run date, on the engine it was chosen for.
   * Refused, as the infer stage refuses it, when it lost more accuracy than the stage's tolerance.
   *
   * @param optimizedDirUri the optimize stage's output, {@code <output-root>/optimized/run_date=D}
   */
  public static NightjarModel fromServing(SparkSession spark, String optimizedDirUri) {
    return new NightjarModel(
        Identifiable.randomUID("nightjar"),
        ModelFiles.fromServing(spark.sparkContext().hadoopConfiguration(), optimizedDirUri));
  }

  /**
   * The train stage's model as it is, on DL4J.
   *
   * @param modelsDirUri the train stage's output, {@code <output-root>/models/run_date=D}
   */
  public static NightjarModel fromTrained(SparkSession spark, String modelsDirUri) {
    return new NightjarModel(
        Identifiable.randomUID("nightjar"),
        ModelFiles.fromTrained(spark.sparkContext().hadoopConfiguration(), modelsDirUri));
  }

  /**
   * Any Nightjar model file: ONNX ({@code .onnx}, on ONNX Runtime), a DL4J zip ({@code .zip}) or a
   * pruned network's sparse file ({@code .sparse}), both on DL4J. Its version is its file name and
   * the start of its SHA-256.
   *
   * @param imageShape what the network reads: {@code {channels, height, width}}
   */
  public static NightjarModel fromFile(
      SparkSession spark, String modelFileUri, int[] imageShape, int numClasses) {
    return new NightjarModel(
        Identifiable.randomUID("nightjar"),
        ModelFiles.fromFile(
            spark.sparkContext().hadoopConfiguration(), modelFileUri, imageShape, numClasses));
  }

  /** Reads a model {@code write().save(path)} saved. */
  public static NightjarModel load(String path) {
    return read().load(path);
  }

  /** The reader {@link #load} uses; Spark's {@code PipelineModel} finds it by this name. */
  public static MLReader<NightjarModel> read() {
    return new NightjarModelReader();
  }

  @Override
  public MLWriter write() {
    return new NightjarModelWriter(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The version stamped on the model, as the infer stage stamps its predictions. */
  public String modelVersion() {
    return model.version();
  }

  /** {@code onnxruntime} or {@code dl4j}. */
  public String engine() {
    return model.engine().label();
  }

  /** What the network reads: {@code {channels, height, width}}. */
  public int[] imageShape() {
    return model.imageShape().clone();
  }

  public int numClasses() {
    return model.numClasses();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    InputColumn.pixelSource(
        schema, getInputCol(), getBinaryFormat(), model.imageShape(), getMaxImagePixels());
    return withOutputs(
        schema,
        getPredictionCol(),
        getProbabilityCol(),
        getTopK() > 0 ? getTopKCol() : null,
        getErrorCol());
  }

  /**
   * {@code schema} with the output columns appended; no top-k column when {@code topKCol} is null.
   */
  static StructType withOutputs(
      StructType schema,
      String predictionCol,
      String probabilityCol,
      String topKCol,
      String errorCol) {
    StructType out = withColumn(schema, predictionCol, DataTypes.DoubleType);
    out = withColumn(out, probabilityCol, SQLDataTypes.VectorType());
    if (topKCol != null) {
      out =
          withColumn(out, topKCol, DataTypes.createArrayType(PredictionTable.RANKED_CLASS, false));
    }
    return withColumn(out, errorCol, DataTypes.StringType);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    StructType out = transformSchema(schema);
    PixelSource source =
        InputColumn.pixelSource(
            schema, getInputCol(), getBinaryFormat(), model.imageShape(), getMaxImagePixels());
    // Every class ranked: the ranking gives the probability vector.
    Scorer scorer = new Scorer(dataset.sparkSession(), ref(), getBatchSize(), Integer.MAX_VALUE);
    ScorePartition partition =
        new ScorePartition(
            schema.fieldIndex(getInputCol()),
            source,
            scorer.partitionFunction("spark-ml", uid, null),
            model.pixels(),
            getTopK());
    return dataset.toDF().mapPartitions(partition, Encoders.row(out));
  }

  @Override
  public NightjarModel copy(ParamMap extra) {
    NightjarModel copy = copyValues(new NightjarModel(uid, model), extra);
    return copy.setParent(parent());
  }

  @Override
  public String toString() {
    return "NightjarModel: uid="
        + uid
        + ", version="
        + model.version()
        + ", engine="
        + engine()
        + ", imageShape="
        + Arrays.toString(model.imageShape())
        + ", numClasses="
        + model.numClasses();
  }

  /** What the executors load and cache this model by. */
  ModelRef ref() {
    return model.ref(getThreadsPerTask());
  }

  ModelFile modelFile() {
    return model;
  }

  private static StructType withColumn(
      StructType schema, String name, org.apache.spark.sql.types.DataType type) {
    if (Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(
          "NightjarModel: output column '" + name + "' already exists");
    }
    return schema.add(name, type, true);
  }

  // The params, with Spark ML's accessors: the param, its getter, its setter.

  public Param<String> inputCol() {
    return inputCol;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public NightjarModel setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public Param<String> binaryFormat() {
    return binaryFormat;
  }

  public String getBinaryFormat() {
    return getOrDefault(binaryFormat);
  }

  /**
   * {@code encoded} (the default): a binary input holds encoded images; {@code pixels}: raw 8-bit
   * pixels.
   */
  public NightjarModel setBinaryFormat(String value) {
    set(binaryFormat, value);
    return this;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public NightjarModel setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public String getProbabilityCol() {
    return getOrDefault(probabilityCol);
  }

  public NightjarModel setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  public Param<String> topKCol() {
    return topKCol;
  }

  public String getTopKCol() {
    return getOrDefault(topKCol);
  }

  public NightjarModel setTopKCol(String value) {
    set(topKCol, value);
    return this;
  }

  public Param<String> errorCol() {
    return errorCol;
  }

  public String getErrorCol() {
    return getOrDefault(errorCol);
  }

  public NightjarModel setErrorCol(String value) {
    set(errorCol, value);
    return this;
  }

  public IntParam topK() {
    return topK;
  }

  public int getTopK() {
    return (Integer) getOrDefault(topK);
  }

  public NightjarModel setTopK(int value) {
    set(topK, value);
    return this;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public NightjarModel setBatchSize(int value) {
    set(batchSize, value);
    return this;
  }

  public IntParam threadsPerTask() {
    return threadsPerTask;
  }

  public int getThreadsPerTask() {
    return (Integer) getOrDefault(threadsPerTask);
  }

  public NightjarModel setThreadsPerTask(int value) {
    set(threadsPerTask, value);
    return this;
  }

  public LongParam maxImagePixels() {
    return maxImagePixels;
  }

  public long getMaxImagePixels() {
    return (Long) getOrDefault(maxImagePixels);
  }

  public NightjarModel setMaxImagePixels(long value) {
    set(maxImagePixels, value);
    return this;
  }
}
