#version 330 core
// Instanced coloured rectangles (gridworld cells, heatmaps). One instance per cell.
layout(location = 0) in vec2 a_corner;  // unit-quad corner in [0,1]^2
layout(location = 1) in vec4 a_rect;    // x, y (lower-left corner), width, height; world units
layout(location = 2) in vec4 a_color;   // straight (non-premultiplied) RGBA
uniform mat3 u_transform;               // world -> clip space
out vec4 v_color;
void main() {
  vec2 world = a_rect.xy + a_corner * a_rect.zw;
  vec3 clip = u_transform * vec3(world, 1.0);
  gl_Position = vec4(clip.xy, 0.0, 1.0);
  v_color = a_color;
}
