package sonogate.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sonogate.nn.ModelConfig;
import sonogate.tensor.Device;
import sonogate.train.GanStep;
import sonogate.train.Trainer;

/** The {@code train --json} summary: where the run ended, its last losses and validation metrics. */
final class TrainSummary {
    private TrainSummary() {}

    static Map<String, Object> of(Trainer trainer, ModelConfig cfg, Path run, Device device, double seconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "train");
        s.put("config", cfg.name());
        s.put("run", run.toString());
        s.put("checkpoint", run.resolve(Trainer.CHECKPOINT).toString());
        s.put("step", trainer.step());
        s.put("device", device.toString().toLowerCase(Locale.ROOT));
        s.put("seconds", seconds);
        s.put("steps_per_second", trainer.stepsPerSecond());
        List<Trainer.StepRecord> history = trainer.history();
        Trainer.StepRecord last = history.isEmpty() ? null : history.getLast();
        if (last != null && last.skipped() == null) {
            GanStep.Losses l = last.losses();
            Map<String, Object> losses = new LinkedHashMap<>();
            losses.put("step", last.step());
            losses.put("d_loss", l.dLoss());
            losses.put("g_loss", l.gLoss());
            losses.put("g_adv", l.gAdv());
            losses.put("l1_coarse", l.l1Coarse());
            losses.put("l1_refined", l.l1Refined());
            losses.put("perceptual", l.perceptual());
            s.put("last_losses", losses);
        }
        List<Trainer.Validation> validations = trainer.validations();
        if (!validations.isEmpty()) {
            Trainer.Validation v = validations.getLast();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", v.step());
            m.put("samples", v.samples());
            m.put("ssim", v.ssim());
            m.put("ssim_in_mask", v.ssimInMask());
            m.put("psnr", v.psnr());
            m.put("l1_in_mask", v.l1InMask());
            s.put("last_validation", m);
        }
        return s;
    }
}
