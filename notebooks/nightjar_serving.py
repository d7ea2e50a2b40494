"""Scores images with Nightjar's serving model in Python, from the model file and serving.json alone.

Notebook 04 runs these functions and checks them against Nightjar's predictions table;
docs/python.md quotes them in a PySpark recipe.
"""
import numpy as np
import onnxruntime as ort


# docs:begin
def onnx_predict_fn(model, serving):
    """The make_predict_fn that predict_batch_udf takes: it loads the model once and returns a
    function from a batch of 8-bit pixels, shaped (N, channels, height, width), to each row's most
    probable class and its probability, scaled and named as serving.json says.

    model: the serving model, a local path or its bytes; serving: serving.json, parsed.
    """

    def make():
        options = ort.SessionOptions()
        # As Nightjar's engine runs models: QDQ propagation would move an int8 model's quantization
        # of a float convolution's output back through its max-pool, onto ONNX Runtime's slow uint8
        # max-pool (OnnxRuntimeEngine.optimizeAsServed).
        options.add_session_config_entry(
            "optimization.disable_specified_optimizers", "QDQPropagationTransformer"
        )
        session = ort.InferenceSession(
            model, sess_options=options, providers=["CPUExecutionProvider"]
        )
        scaling = serving["inputScaling"]
        divisor = np.float32(scaling["divisor"])
        dtype = np.dtype(scaling["dataType"])

        def predict(pixels):
            inputs = (np.asarray(pixels, dtype=dtype) / divisor).astype(dtype)
            probabilities = session.run(
                [serving["outputName"]], {serving["inputName"]: inputs}
            )[0]
            return {
                "predicted_label": probabilities.argmax(axis=1).astype(np.int32),
                "probability": probabilities.max(axis=1).astype(np.float64),
            }

        return predict

    return make
# docs:end


def pixel_batch(rows, serving):
    """Raw pixel bytes (the examples table's `pixels`) as one (N, channels, height, width) array."""
    shape = serving["imageShape"]
    return np.stack([np.frombuffer(row, dtype=np.uint8).reshape(shape) for row in rows])
