package org.soapstone.engine.descriptor;

/** gap_fit's {@code sparse_method}: how the sparse (representative) points of a descriptor are chosen. */
public enum SparseMethod {
    RANDOM, PIVOT, CLUSTER, UNIFORM, KMEANS, COVARIANCE, FUZZY, FILE, INDEX_FILE, CUR_COVARIANCE, CUR_POINTS, NONE
}
