"""ScoreGate's inference host: serves an Azure ML scoring script (init/run) over HTTP."""
