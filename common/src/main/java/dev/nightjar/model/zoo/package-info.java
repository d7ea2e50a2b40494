/** The network architectures a run can train, by name. */
package dev.nightjar.model.zoo;
