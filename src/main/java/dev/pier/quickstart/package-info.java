/** The reference example end to end: MNIST → train → evaluate → repository, served by {@code pier quickstart}. */
package dev.pier.quickstart;
