/**
 * The client side of {@code pier predict}: turns a user's input (a JSON request body, a NumPy {@code .npy}
 * file, or images) into one inference request, sends it over V2 REST, V2 gRPC or TF Serving REST, and
 * renders the answer as JSON or a table with the top classes.
 */
package dev.pier.predict;
