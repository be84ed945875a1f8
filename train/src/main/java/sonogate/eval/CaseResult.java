package sonogate.eval;

import java.util.List;
import java.util.Map;

/**
 * One case's results: the estimated masks' IoU with the painted pixels (per frame) and every
 * method's scores (in the order the methods ran); {@code outputs} keeps each method's frames when
 * they were asked for (the demo), else it is empty.
 */
public record CaseResult(EvalCase input, double[] maskIou, Map<String, MethodScores> scores, Map<String, List<byte[]>> outputs,
                         List<byte[]> estimatedMasks) {}
