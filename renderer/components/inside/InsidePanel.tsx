// Issue 12's views of the inside of the model, below the predictions: "One image, step by step" and
// "Draw a garment". The drawing is held here, so the pad can feed the step-by-step view.

import { useCallback, useState } from 'react';
import { DrawingPad } from './DrawingPad';
import { StepByStep, type StepSource } from './StepByStep';
import './inside.css';

/** The inside views: the step-by-step pass on one image, and the drawing pad. */
export function InsidePanel() {
  const [drawing, setDrawing] = useState<Float32Array | null>(null);
  const [source, setSource] = useState<StepSource>('test');
  const showDrawingSteps = useCallback(() => {
    setSource('drawing');
    document.getElementById('sbs-title')?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <div className="inside">
      <StepByStep source={source} onSource={setSource} drawing={drawing} />
      <DrawingPad onInput={setDrawing} onShowSteps={showDrawingSteps} />
    </div>
  );
}
