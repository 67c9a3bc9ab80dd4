#version 330 core
// Coloured triangles in 2-D world units (thick line segments, rectangles, discs, arrows).
layout(location = 0) in vec2 a_position;  // world units
layout(location = 1) in vec4 a_color;     // straight RGBA
uniform mat3 u_transform;                 // world -> clip space
out vec4 v_color;
void main() {
  vec3 clip = u_transform * vec3(a_position, 1.0);
  gl_Position = vec4(clip.xy, 0.0, 1.0);
  v_color = a_color;
}
