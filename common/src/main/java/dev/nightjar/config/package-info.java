/**
 * Layered configuration: the only place that reads keys, and the typed records every stage
 * receives.
 */
package dev.nightjar.config;
