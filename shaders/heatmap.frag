#version 330 core
// The objective landscape: a grid of J values (one texel per grid point, linear filtering between
// them) mapped through a perceptual colour map, with contour lines every 1/u_contours of the range.
// Contours come from the value's screen-space derivative (fwidth), so they stay about
// u_line_px pixels wide at any zoom.
in vec2 v_uv;
uniform sampler2D u_values;  // R32F, (cols × rows), row 0 = the lowest y
uniform vec2 u_grid;         // cols, rows
uniform float u_vmin;
uniform float u_vmax;
uniform float u_contours;    // lines over [vmin, vmax]; 0: none
uniform float u_line_px;
out vec4 frag_color;

// Viridis, a polynomial fit (perceptually ordered, readable in grey).
vec3 viridis(float t) {
  const vec3 c0 = vec3(0.2777273272234177, 0.005407344544966578, 0.3340998053353061);
  const vec3 c1 = vec3(0.1050930431085774, 1.404613529898575, 1.384590162594685);
  const vec3 c2 = vec3(-0.3308618287255563, 0.214847559468213, 0.09509516302823659);
  const vec3 c3 = vec3(-4.634230498983486, -5.799100973351585, -19.33244095627987);
  const vec3 c4 = vec3(6.228269936347081, 14.17993336680509, 56.69055260068105);
  const vec3 c5 = vec3(4.776384997670288, -13.74514537774601, -65.35303263337234);
  const vec3 c6 = vec3(-5.435455855934631, 4.645852612178535, 26.3124352495832);
  return c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6)))));
}

void main() {
  // Texel centres sit on the grid points: the grid's first and last points at the quad's edges.
  vec2 st = (v_uv * (u_grid - 1.0) + 0.5) / u_grid;
  float v = texture(u_values, st).r;
  float t = clamp((v - u_vmin) / max(u_vmax - u_vmin, 1e-30), 0.0, 1.0);
  vec3 color = viridis(t);
  if (u_contours > 0.0) {
    float f = t * u_contours;
    float dist = abs(fract(f + 0.5) - 0.5) / max(fwidth(f), 1e-6);
    float line = 1.0 - clamp(dist - 0.5 * u_line_px, 0.0, 1.0);
    color = mix(color, vec3(0.05), 0.55 * line);
  }
  frag_color = vec4(color, 1.0);
}
