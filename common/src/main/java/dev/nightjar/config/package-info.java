/**
 * Layered configuration: the only place that reads keys, and the typed records every stage
 * receives.
 *
 * <p>Public API: {@link dev.nightjar.config.ConfigLoader} and {@link
 * dev.nightjar.config.NightjarConfig}, which callers pass on without reading. The rest of the
 * package is internal: no compatibility promise (docs/library.md).
 */
package dev.nightjar.config;
