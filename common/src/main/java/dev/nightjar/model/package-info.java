/** Network architectures (the model zoo) and the store that saves and loads trained models with their metadata. */
package dev.nightjar.model;
