/**
 * What the prepare stage can read. A source plans balanced partitions on the driver; each
 * partition then reads and decodes itself on an executor.
 */
package dev.nightjar.prepare.source;
