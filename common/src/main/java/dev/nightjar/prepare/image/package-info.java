/** Pixel work done on the executors: decoding and resizing images, and seeded augmentation. */
package dev.nightjar.prepare.image;
