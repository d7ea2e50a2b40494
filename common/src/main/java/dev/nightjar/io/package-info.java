/**
 * Reading sources and committing outputs through Hadoop's FileSystem API, so every path may be any
 * Hadoop URI.
 */
package dev.nightjar.io;
