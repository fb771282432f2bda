/** ONNX Runtime wrapper and ONNX graph builder (see docs/core.md, "ONNX Runtime"). */
export { OnnxSession, onnxProviders, type OnnxSessionOptions, type ShapedArray } from './session.js';
export { OnnxGraphBuilder, ONNX_OPSET, hwioToOihw, hwoiToIohw, type AttrValue, type ConvAttrs } from './graph-builder.js';
