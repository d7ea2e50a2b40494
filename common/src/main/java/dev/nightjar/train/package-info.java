/**
 * The train stage: DL4J parameter averaging over the prepared shards, evaluated after every epoch.
 */
package dev.nightjar.train;
