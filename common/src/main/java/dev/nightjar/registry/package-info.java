/**
 * The model registry under the output root: every trained model and every serving model the
 * optimize stage chose, each with a verified copy of its file, and aliases ({@code approved},
 * {@code candidate}, ...) moved by promotion and rollback, each move recorded with who, when and
 * why. The infer stage serves an alias or a version from here without the night's own training.
 */
package dev.nightjar.registry;
