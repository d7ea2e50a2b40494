package dev.nightjar.optimize.distill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.data.PixelScaling;
import dev.nightjar.io.IdxReader;
import dev.nightjar.model.ModelInput;
import dev.nightjar.model.zoo.Architecture;
import dev.nightjar.model.zoo.ModelZoo;
import dev.nightjar.testing.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real learning on Fashion-MNIST: a LeNet teacher trained for one epoch on 6,000 images, then much
 * smaller students (one hidden dense layer, under a fifth of LeNet's parameters) trained through
 * {@link DistillationLoss} on [N, 2C] labels, evaluated on 2,000 test images. The zoo's separable
 * CNN would do as the student too, but on 2 shared cores it takes minutes per epoch in DL4J, which
 * this test cannot afford; DistillationNetworkTest shows every zoo network takes the loss.
 */
class DistillationTrainingTest {
  private static final Logger LOG = LoggerFactory.getLogger(DistillationTrainingTest.class);
  private static final ModelInput FASHION = new ModelInput(1, 28, 28, 10);
  private static final int TRAIN = 6000;
  private static final int TEST = 2000;
  private static final int BATCH = 64;
  private static final int STUDENT_EPOCHS = 2;
  private static final double TEMPERATURE = 4;

  @Test
  void studentsLearnFromTheTeachersLogits() throws IOException {
    String dir = FashionMnist.dir();
    DataSet train = read(dir, "train", TRAIN);
    DataSet test = read(dir, "t10k", TEST);

    long start = System.nanoTime();
    MultiLayerNetwork teacher = ModelZoo.create("lenet", FASHION, 1e-3, 42);
    fitOneEpoch(teacher, train.batchBy(BATCH));
    double teacherAccuracy = accuracy(teacher, test);
    long teacherDone = System.nanoTime();

    List<DataSet> distillation = new ArrayList<>();
    for (DataSet batch : train.batchBy(BATCH)) {
      distillation.add(DistillationLabels.withTeacherLogits(teacher, batch));
    }
    // alpha = 1: the student never sees a true label, so all it learns comes through the teacher's
    // logits.
    Result softOnly = distil(distillation, test, teacher, 1.0);
    // alpha = 0.7: Hinton's mix of the soft targets and the true labels.
    Result mixed = distil(distillation, test, teacher, 0.7);
    long studentsDone = System.nanoTime();

    LOG.info(
        "teacher lenet ({} params): accuracy {} ({} s); students ({} params, T={}, {} epochs): alpha=1 accuracy {} "
            + "(agrees with the teacher on {}), alpha=0.7 accuracy {} (agrees on {}) ({} s); {} training and {} test images",
        teacher.numParams(),
        teacherAccuracy,
        (teacherDone - start) / 1_000_000_000,
        mixed.student.numParams(),
        TEMPERATURE,
        STUDENT_EPOCHS,
        softOnly.accuracy,
        softOnly.agreement,
        mixed.accuracy,
        mixed.agreement,
        (studentsDone - teacherDone) / 1_000_000_000,
        TRAIN,
        TEST);
    assertThat(teacherAccuracy).isGreaterThan(0.7);
    assertThat(softOnly.accuracy).isGreaterThan(0.7);
    assertThat(softOnly.agreement).isGreaterThan(0.8);
    assertThat(mixed.accuracy).isGreaterThan(0.7);
    // The trained student serves like any zoo model: its output is class probabilities.
    INDArray sums =
        mixed.student.output(test.getFeatures().get(NDArrayIndex.interval(0, 8))).sum(1);
    assertThat(sums.equalsWithEps(Nd4j.ones(sums.dataType(), 8), 1e-4)).isTrue();
  }

  private record Result(MultiLayerNetwork student, double accuracy, double agreement) {}

  private static Result distil(
      List<DataSet> distillation, DataSet test, MultiLayerNetwork teacher, double alpha) {
    MultiLayerNetwork student =
        new MultiLayerNetwork(
            StudentConfigurations.withDistillationLoss(smallNet(), TEMPERATURE, alpha));
    student.init();
    for (int epoch = 0; epoch < STUDENT_EPOCHS; epoch++) {
      fitOneEpoch(student, distillation);
    }
    return new Result(student, accuracy(student, test), agreement(student, teacher, test));
  }

  private static void fitOneEpoch(MultiLayerNetwork network, List<DataSet> batches) {
    for (DataSet batch : batches) {
      network.fit(batch);
    }
  }

  /**
   * The student: 784 → dense 100 (ReLU) → softmax 10, with the zoo's usual MCXENT until the student
   * configuration replaces it.
   */
  private static MultiLayerConfiguration smallNet() {
    return Architecture.base(7, 3e-3, WeightInit.RELU)
        .list()
        .layer(new DenseLayer.Builder().nOut(100).activation(Activation.RELU).build())
        .layer(
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(10)
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.convolutional(28, 28, 1))
        .build();
  }

  /** The share of test images on which the two networks predict the same class. */
  private static double agreement(MultiLayerNetwork a, MultiLayerNetwork b, DataSet test) {
    INDArray same =
        a.output(test.getFeatures()).argMax(1).eq(b.output(test.getFeatures()).argMax(1));
    return same.castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  private static double accuracy(MultiLayerNetwork network, DataSet test) {
    Evaluation evaluation = new Evaluation(10);
    for (DataSet batch : test.batchBy(500)) {
      evaluation.eval(batch.getLabels(), network.output(batch.getFeatures()));
    }
    return evaluation.accuracy();
  }

  /**
   * The first {@code count} images of a Fashion-MNIST split, scaled to [0, 1], with one-hot labels.
   */
  private static DataSet read(String dir, String split, int count) throws IOException {
    float[] pixels = new float[count * 28 * 28];
    float[] labels = new float[count * 10];
    try (InputStream imageStream =
            Files.newInputStream(Path.of(dir, split + "-images-idx3-ubyte.gz"));
        InputStream labelStream =
            Files.newInputStream(Path.of(dir, split + "-labels-idx1-ubyte.gz"));
        IdxReader images = IdxReader.open(imageStream, split + "-images");
        IdxReader classes = IdxReader.open(labelStream, split + "-labels")) {
      byte[] image = new byte[images.header().recordBytes()];
      byte[] label = new byte[1];
      for (int i = 0; i < count; i++) {
        images.readRecord(image);
        classes.readRecord(label);
        PixelScaling.toUnitRange(image, pixels, i * image.length);
        labels[i * 10 + label[0]] = 1f;
      }
    }
    return new DataSet(
        Nd4j.create(pixels, new long[] {count, 1, 28, 28}, 'c'),
        Nd4j.create(labels, new long[] {count, 10}, 'c'));
  }
}
