/** Decoding and resizing images on the executors, with limits that refuse hostile files. */
package dev.nightjar.source.image;
