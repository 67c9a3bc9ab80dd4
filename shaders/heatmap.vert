#version 330 core
// A full-target quad for the landscape heatmap: corners in [0,1]², no vertex buffer (gl_VertexID).
out vec2 v_uv;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  v_uv = corner;
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
