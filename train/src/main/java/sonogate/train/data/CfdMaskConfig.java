package sonogate.train.data;

/**
 * Parameters of the synthetic colour-flow masks ({@link CfdMaskGenerator}). Lengths are fractions
 * of the frame's shorter side S = min(H, W); areas are fractions of the imaging sector's area.
 * The defaults ({@link #defaults()}) were set from the real CFD examples in
 * {@code shared/data/ultrasound/cfd}: colour boxes of roughly a quarter to two thirds of the sector
 * (a wedge in echo fans, a rectangle or steered parallelogram on linear probes), colour covering
 * about 5-30% of the sector, jets up to ~40% of S long, patchy colour; vessels 1.2-4.5% of S wide,
 * branching, and more structures than the coverage needs, so that the masks are as thin and holed
 * as the real colour ({@link MaskShapeStats}: solidity measured against the real frames).
 *
 * @param coverageMin            lowest colour coverage of a frame (fraction of the sector); default 0.10
 * @param coverageMax            highest colour coverage of a frame; default 0.30. Every frame's coverage
 *                               lies in [coverageMin, coverageMax] (up to the outline and rounding)
 * @param fanProbability         when no sector is given: chance of a fan (else a linear rectangle); 0.6
 * @param boxFractionMin         smallest colour box (box inside the sector / sector area); 0.25
 * @param boxFractionMax         largest colour box; 0.65
 * @param maxBoxFill             most of the box the colour may fill; the box is made large enough; 0.55
 * @param steeredBoxProbability  rectangle sectors: chance of a steered (parallelogram) box; 0.3
 * @param maxSteerDegrees        steering angle limit of a parallelogram box; 20
 * @param maxStructures          most flow structures (vessels, blobs, jets) per clip; 16
 * @param structureExcess        structures are added until their area reaches this multiple of the coverage
 *                               target (or maxStructures): above 1 the mask, the top of the textured field,
 *                               is a patchy subset of thin structures rather than grown blobs; 1.3
 * @param tubeWeight             relative frequency of vessel tubes; 1.0
 * @param blobWeight             relative frequency of chamber-like blobs (irregular ellipses); 0.6
 * @param jetWeight              relative frequency of jets (tear drops from an orifice); 0.6
 * @param tubeWidthMin           vessel full width, lower bound (fraction of S); 0.012
 * @param tubeWidthMax           vessel full width, upper bound; 0.045
 * @param branchProbability      chance that a vessel has a thinner side branch; 0.7
 * @param blobRadiusMin          blob mean radius, lower bound (fraction of S); 0.04
 * @param blobRadiusMax          blob mean radius, upper bound; 0.12
 * @param jetLengthMin           jet length at peak, lower bound (fraction of S); 0.15
 * @param jetLengthMax           jet length at peak, upper bound; 0.40
 * @param periodMinFrames        cardiac period, lower bound (frames); 12 (e.g. 0.5 s at 25 fps)
 * @param periodMaxFrames        cardiac period, upper bound; 30
 * @param pulseMax               largest relative swing of coverage and structure size over a beat; 0.35
 * @param driftMax               largest drift speed of a structure (fraction of S per frame); 0.003
 * @param raggedness             amplitude of the fine noise that frays borders (in structure radii); 0.45
 * @param holeMax                largest strength of the mid-scale holes that make colour patchy (a clip
 *                               draws 15-100% of it); 1.3 (above ~0.6 holes open even in a structure's core)
 * @param mosaic                 largest amplitude of pixel-scale noise (the mosaic of turbulent/aliased
 *                               flow, as in echo jets; a clip draws 0-100% of it); 0.6
 * @param noiseFrames            time scale (frames) over which the texture renews; 8
 * @param outlineProbability     chance that the colour-box outline (1 px, part of the real CFD mask) is masked too; 0.25
 */
public record CfdMaskConfig(
        double coverageMin,
        double coverageMax,
        double fanProbability,
        double boxFractionMin,
        double boxFractionMax,
        double maxBoxFill,
        double steeredBoxProbability,
        double maxSteerDegrees,
        int maxStructures,
        double structureExcess,
        double tubeWeight,
        double blobWeight,
        double jetWeight,
        double tubeWidthMin,
        double tubeWidthMax,
        double branchProbability,
        double blobRadiusMin,
        double blobRadiusMax,
        double jetLengthMin,
        double jetLengthMax,
        double periodMinFrames,
        double periodMaxFrames,
        double pulseMax,
        double driftMax,
        double raggedness,
        double holeMax,
        double mosaic,
        double noiseFrames,
        double outlineProbability) {

    public CfdMaskConfig {
        if (!(coverageMin > 0 && coverageMin <= coverageMax && coverageMax < 1)) {
            throw new IllegalArgumentException("need 0 < coverageMin <= coverageMax < 1: " + coverageMin + ", " + coverageMax);
        }
        requireUnit("fanProbability", fanProbability);
        requireUnit("steeredBoxProbability", steeredBoxProbability);
        requireUnit("branchProbability", branchProbability);
        requireUnit("outlineProbability", outlineProbability);
        if (!(boxFractionMin > 0 && boxFractionMin <= boxFractionMax && boxFractionMax <= 1)) {
            throw new IllegalArgumentException("need 0 < boxFractionMin <= boxFractionMax <= 1");
        }
        if (!(maxBoxFill > coverageMax && maxBoxFill <= 1)) {
            throw new IllegalArgumentException("need coverageMax < maxBoxFill <= 1: " + maxBoxFill);
        }
        if (!(maxSteerDegrees >= 0 && maxSteerDegrees < 60)) throw new IllegalArgumentException("maxSteerDegrees " + maxSteerDegrees);
        if (maxStructures < 1) throw new IllegalArgumentException("maxStructures must be >= 1");
        if (!(structureExcess >= 1 && structureExcess <= 4)) throw new IllegalArgumentException("structureExcess must be in [1, 4]: " + structureExcess);
        if (!(tubeWeight >= 0 && blobWeight >= 0 && jetWeight >= 0 && tubeWeight + blobWeight + jetWeight > 0)) {
            throw new IllegalArgumentException("structure weights must be >= 0 with a positive sum");
        }
        requireRange("tubeWidth", tubeWidthMin, tubeWidthMax);
        requireRange("blobRadius", blobRadiusMin, blobRadiusMax);
        requireRange("jetLength", jetLengthMin, jetLengthMax);
        if (!(periodMinFrames >= 2 && periodMinFrames <= periodMaxFrames)) throw new IllegalArgumentException("period range");
        if (!(pulseMax >= 0 && pulseMax < 1)) throw new IllegalArgumentException("pulseMax " + pulseMax);
        if (!(driftMax >= 0 && raggedness >= 0 && holeMax >= 0 && mosaic >= 0 && noiseFrames > 0)) {
            throw new IllegalArgumentException("driftMax, raggedness, holeMax, mosaic must be >= 0 and noiseFrames > 0");
        }
    }

    /** The documented defaults. */
    public static CfdMaskConfig defaults() {
        return new CfdMaskConfig(0.10, 0.30, 0.6, 0.25, 0.65, 0.55, 0.3, 20, 16, 1.3, 1.0, 0.6, 0.6,
                0.012, 0.045, 0.7, 0.04, 0.12, 0.15, 0.40, 12, 30, 0.35, 0.003, 0.45, 1.3, 0.6, 8, 0.25);
    }

    /**
     * The defaults before the shapes were thinned (vessels 2-7% of S, 8 structures grown to the
     * coverage, branch probability 0.35, raggedness 0.35, holes 1.0, mosaic 0.5): more solid than
     * real colour flow (README, Training data); kept for comparison.
     */
    public static CfdMaskConfig solidShapes() {
        return new CfdMaskConfig(0.10, 0.30, 0.6, 0.25, 0.65, 0.55, 0.3, 20, 8, 1.0, 1.0, 0.6, 0.6,
                0.02, 0.07, 0.35, 0.04, 0.12, 0.15, 0.40, 12, 30, 0.35, 0.003, 0.35, 1.0, 0.5, 8, 0.25);
    }

    /** A copy with another coverage range. */
    public CfdMaskConfig withCoverage(double min, double max) {
        return new CfdMaskConfig(min, max, fanProbability, boxFractionMin, boxFractionMax, maxBoxFill,
                steeredBoxProbability, maxSteerDegrees, maxStructures, structureExcess, tubeWeight, blobWeight, jetWeight, tubeWidthMin,
                tubeWidthMax, branchProbability, blobRadiusMin, blobRadiusMax, jetLengthMin, jetLengthMax,
                periodMinFrames, periodMaxFrames, pulseMax, driftMax, raggedness, holeMax, mosaic, noiseFrames,
                outlineProbability);
    }

    /** A copy with other relative frequencies of vessels, blobs and jets. */
    public CfdMaskConfig withStructureWeights(double tube, double blob, double jet) {
        return new CfdMaskConfig(coverageMin, coverageMax, fanProbability, boxFractionMin, boxFractionMax, maxBoxFill,
                steeredBoxProbability, maxSteerDegrees, maxStructures, structureExcess, tube, blob, jet, tubeWidthMin,
                tubeWidthMax, branchProbability, blobRadiusMin, blobRadiusMax, jetLengthMin, jetLengthMax,
                periodMinFrames, periodMaxFrames, pulseMax, driftMax, raggedness, holeMax, mosaic, noiseFrames,
                outlineProbability);
    }

    private static void requireUnit(String name, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1]: " + p);
    }

    private static void requireRange(String name, double lo, double hi) {
        if (!(lo > 0 && lo <= hi && hi < 1)) throw new IllegalArgumentException(name + " range must satisfy 0 < min <= max < 1");
    }
}
