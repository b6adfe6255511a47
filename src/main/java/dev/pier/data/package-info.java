/** Datasets: MNIST's IDX files, CSV files and image folders, loaded into {@link dev.pier.data.LabeledData}. */
package dev.pier.data;
