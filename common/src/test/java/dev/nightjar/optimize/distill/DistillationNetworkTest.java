package dev.nightjar.optimize.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.ModelZoo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.commons.lang3.SerializationUtils;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The loss inside real DL4J networks: what DL4J hands it, serialisation, and the teacher's logits.
 */
class DistillationNetworkTest {
  private static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);

  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void studentConfigurationSurvivesJson(String name) {
    MultiLayerConfiguration original = ModelZoo.architecture(name).configuration(FASHION, 1e-3, 1);
    MultiLayerConfiguration student =
        StudentConfigurations.student(ModelZoo.architecture(name), FASHION, 1e-3, 1, 4, 0.7);

    String json = student.toJson();
    assertThat(json)
        .contains(DistillationLoss.class.getName())
        .contains("\"temperature\" : 4.0")
        .contains("\"alpha\" : 0.7");
    MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
    assertThat(restored).isEqualTo(student);
    assertThat(lossOf(restored)).isEqualTo(new DistillationLoss(4, 0.7));
    OutputLayer output = outputLayerOf(restored);
    assertThat(output.getNOut()).isEqualTo(10);
    assertThat(output.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
    // The zoo's own configuration is left as it was.
    assertThat(lossOf(original)).isNotInstanceOf(DistillationLoss.class);
    assertThat(lossOf(MultiLayerConfiguration.fromYaml(student.toYaml())))
        .isEqualTo(new DistillationLoss(4, 0.7));
  }

  @Test
  void aTrainedNetworkMadeAStudentKeepsItsParametersAndOutputs() {
    MultiLayerNetwork trained =
        new MultiLayerNetwork(ModelZoo.architecture("lenet").configuration(FASHION, 1e-3, 5));
    trained.init();
    MultiLayerNetwork student = StudentConfigurations.asStudent(trained, 4, 0.7);

    assertThat(lossOf(student.getLayerWiseConfigurations()))
        .isEqualTo(new DistillationLoss(4, 0.7));
    assertThat(lossOf(trained.getLayerWiseConfigurations()))
        .isNotInstanceOf(DistillationLoss.class);
    assertThat(student.params()).isEqualTo(trained.params());
    INDArray images = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
    assertThat(student.output(images)).isEqualTo(trained.output(images));
    // A copy: training the student leaves the trained network as it was.
    student.params().addi(1);
    assertThat(student.params()).isNotEqualTo(trained.params());
  }

  @Test
  void trainedStudentSurvivesModelSerializerAndJavaSerialisation() throws IOException {
    MultiLayerNetwork student =
        new MultiLayerNetwork(
            StudentConfigurations.student(
                ModelZoo.architecture("lenet"), FASHION, 1e-3, 3, 2, 0.5));
    student.init();
    DataSet batch = distillationBatch(8, 5);
    student.fit(batch);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(student, bytes, true);
    MultiLayerNetwork restored =
        ModelSerializer.restoreMultiLayerNetwork(
            new ByteArrayInputStream(bytes.toByteArray()), true);

    assertThat(lossOf(restored.getLayerWiseConfigurations()))
        .isEqualTo(new DistillationLoss(2, 0.5));
    assertThat(restored.params()).isEqualTo(student.params());
    assertThat(restored.output(batch.getFeatures())).isEqualTo(student.output(batch.getFeatures()));
    assertThat(restored.score(batch)).isCloseTo(student.score(batch), offset(1e-6));
    restored.fit(batch); // and it trains on from the restored updater state

    // Spark ships configurations with Java serialisation as well as JSON.
    MultiLayerConfiguration copy = SerializationUtils.clone(student.getLayerWiseConfigurations());
    assertThat(lossOf(copy)).isEqualTo(new DistillationLoss(2, 0.5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-cnn", "lenet", "separable-cnn"})
  void softmaxOfTheTeachersLogitsIsItsOutput(String name) {
    MultiLayerNetwork teacher = ModelZoo.create(name, FASHION, 1e-3, 2);
    // A few steps of training so batch norm's running statistics and the weights are not the
    // initial ones.
    DataSet plain = plainBatch(16, 9);
    for (int i = 0; i < 3; i++) {
      teacher.fit(plain);
    }
    INDArray features = plain.getFeatures();
    INDArray logits = DistillationLabels.teacherLogits(teacher, features);

    assertThat(logits.shape()).containsExactly(16, 10);
    INDArray probabilities = DistillationLoss.softmax(logits);
    assertThat(probabilities.equalsWithEps(teacher.output(features), 1e-5)).isTrue();
    // Logits, not probabilities: not confined to [0, 1] and not summing to 1.
    assertThat(logits.sum(1).equalsWithEps(Nd4j.ones(logits.dataType(), 16), 1e-3)).isFalse();
  }

  @Test
  void withTeacherLogitsLaysOutTrueLabelsThenLogits() {
    MultiLayerNetwork teacher = ModelZoo.create("lenet", FASHION, 1e-3, 2);
    DataSet plain = plainBatch(4, 1);
    DataSet relabelled = DistillationLabels.withTeacherLogits(teacher, plain);

    assertThat(relabelled.getLabels().shape()).containsExactly(4, 20);
    assertThat(relabelled.getFeatures()).isSameAs(plain.getFeatures());
    assertThat(DistillationLabels.trueLabels(relabelled.getLabels())).isEqualTo(plain.getLabels());
    assertThat(DistillationLabels.teacherLogits(relabelled.getLabels()))
        .isEqualTo(DistillationLabels.teacherLogits(teacher, plain.getFeatures()));
    assertThatThrownBy(() -> DistillationLabels.combine(Nd4j.zeros(4, 10), Nd4j.zeros(4, 9)))
        .hasMessageContaining("[N, C]");
  }

  /**
   * DL4J 1.0.0-M2.1's BaseOutputLayer gives the loss the pre-activation output: the network's score
   * equals the loss computed on the student's logits (W·a + b), not on its softmax output.
   */
  @Test
  void dl4jHandsTheLossThePreActivationOutput() {
    MultiLayerNetwork student =
        new MultiLayerNetwork(
            StudentConfigurations.student(
                ModelZoo.architecture("lenet"), FASHION, 1e-3, 4, 3, 0.6));
    student.init();
    DataSet batch = distillationBatch(8, 6);
    INDArray logits = DistillationLabels.teacherLogits(student, batch.getFeatures());
    DistillationLoss loss = new DistillationLoss(3, 0.6);

    double expected =
        loss.computeScore(batch.getLabels(), logits, new ActivationSoftmax(), null, true);
    double ifGivenProbabilities =
        loss.computeScore(
            batch.getLabels(),
            student.output(batch.getFeatures()),
            new ActivationSoftmax(),
            null,
            true);
    assertThat(student.score(batch, false)).isCloseTo(expected, offset(1e-4));
    assertThat(Math.abs(ifGivenProbabilities - expected)).isGreaterThan(1e-2);
  }

  /** DL4J's own whole-network gradient check, through the loss, on a small double-precision net. */
  @Test
  void networkGradientCheckPasses() {
    DataType previousDefault = Nd4j.dataType();
    DataType previousFloating = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerConfiguration conf =
          new NeuralNetConfiguration.Builder()
              .seed(12)
              .dataType(DataType.DOUBLE)
              .updater(new NoOp())
              .list()
              .layer(new DenseLayer.Builder().nIn(6).nOut(8).activation(Activation.TANH).build())
              .layer(
                  new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                      .nIn(8)
                      .nOut(4)
                      .activation(Activation.SOFTMAX)
                      .build())
              .build();
      MultiLayerNetwork network =
          new MultiLayerNetwork(StudentConfigurations.withDistillationLoss(conf, 4, 0.5));
      network.init();
      INDArray features = Nd4j.rand(DataType.DOUBLE, 5, 6).subi(0.5);
      INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, 5, 4);
      for (int i = 0; i < 5; i++) {
        oneHot.putScalar(i, i % 4, 1.0);
      }
      INDArray labels =
          DistillationLabels.combine(oneHot, Nd4j.randn(DataType.DOUBLE, 5, 4).muli(3));

      assertThat(
              GradientCheckUtil.checkGradients(
                  new GradientCheckUtil.MLNConfig()
                      .net(network)
                      .input(features)
                      .labels(labels)
                      .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)))
          .isTrue();
    } finally {
      Nd4j.setDefaultDataTypes(previousDefault, previousFloating);
    }
  }

  @Test
  void studentConfigurationsRejectOutputLayersThatAreNotSoftmax() {
    MultiLayerConfiguration regression =
        new NeuralNetConfiguration.Builder()
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nIn(4)
                    .nOut(3)
                    .activation(Activation.IDENTITY)
                    .build())
            .build();
    assertThatThrownBy(() -> StudentConfigurations.withDistillationLoss(regression, 2, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("softmax");
    MultiLayerConfiguration noOutput =
        new NeuralNetConfiguration.Builder()
            .list()
            .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
            .build();
    assertThatThrownBy(() -> StudentConfigurations.withDistillationLoss(noOutput, 2, 0.5))
        .hasMessageContaining("OutputLayer");
  }

  private static ILossFunction lossOf(MultiLayerConfiguration configuration) {
    return outputLayerOf(configuration).getLossFn();
  }

  private static OutputLayer outputLayerOf(MultiLayerConfiguration configuration) {
    return (OutputLayer) configuration.getConf(configuration.getConfs().size() - 1).getLayer();
  }

  private static DataSet plainBatch(int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray features = Nd4j.rand(DataType.FLOAT, n, 1, 28, 28);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 10);
    for (int i = 0; i < n; i++) {
      labels.putScalar(i, (i * 3 + seed) % 10, 1f);
    }
    return new DataSet(features, labels);
  }

  private static DataSet distillationBatch(int n, long seed) {
    DataSet plain = plainBatch(n, seed);
    INDArray teacherLogits = Nd4j.randn(DataType.FLOAT, n, 10).muli(3);
    return new DataSet(
        plain.getFeatures(), DistillationLabels.combine(plain.getLabels(), teacherLogits));
  }
}
