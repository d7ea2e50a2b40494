/**
 * Spark entry points: parse arguments, load config, call one library action, print a summary, exit.
 */
package dev.nightjar.jobs;
