/**
 * The model registry's commands: {@code models} lists it, {@code promote} and {@code rollback} move
 * an alias. They start no Spark application; the two that write hold the output root's lock.
 */
package dev.nightjar.jobs.registry;
